import { AppError } from '../../platform/errors/index.ts';
import type { AuditActivity, AuditQuery, AuditRecord } from './audit-record.ts';
import type { AuditRepository, RecordPosition } from './audit.repository.port.ts';
import { AuditErrors } from './audit.errors.ts';

/** A page of a search, newest first, and the cursor of the next page when there is one. */
export interface AuditPage {
  readonly records: readonly AuditRecord[];
  readonly next?: string | undefined;
}

const cursorOf = (record: AuditRecord) => Buffer.from(JSON.stringify([record.at.toISOString(), record.partition, record.seq.toString()])).toString('base64url');

function positionOf(cursor: string): RecordPosition {
  try {
    const [at, partition, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string, string];
    const position = { at: new Date(at), partition, seq: BigInt(seq) };
    if (Number.isNaN(position.at.getTime()) || typeof partition !== 'string') throw new Error('bad cursor');
    return position;
  } catch {
    throw new AppError(AuditErrors.CURSOR_INVALID);
  }
}

function checkQuery(query: AuditQuery): void {
  if (query.from && query.to && query.from >= query.to) throw new AppError(AuditErrors.QUERY_INVALID, { message: 'from must be before to' });
}

export const MAX_PAGE = 1000;

async function pageOf(repository: AuditRepository, query: AuditQuery, limit: number, order: 'asc' | 'desc', cursor: string | undefined): Promise<AuditPage> {
  checkQuery(query);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new AppError(AuditErrors.QUERY_INVALID, { message: `limit must be from 1 to ${MAX_PAGE}` });
  const records = await repository.search(query, limit + 1, order, cursor === undefined ? undefined : positionOf(cursor));
  const page = records.slice(0, limit);
  return { records: page, next: records.length > limit ? cursorOf(page[page.length - 1]!) : undefined };
}

/** One page of the records matching the query, newest first. */
export function searchAuditTrail(repository: AuditRepository, query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage> {
  return pageOf(repository, query, limit, 'desc', cursor);
}

/** One page of the export, oldest first: `exportAuditTrail` a request at a time (the operator API's, for a CLI reaching a running server). */
export function exportAuditPage(repository: AuditRepository, query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage> {
  return pageOf(repository, query, limit, 'asc', cursor);
}

/** The pages `read` returns, oldest first, each after the last record of the one before; none empty. */
async function* pagesOf<T extends RecordPosition>(read: (after: RecordPosition | undefined) => Promise<T[]>, pageSize: number): AsyncGenerator<readonly T[]> {
  let after: RecordPosition | undefined;
  for (;;) {
    const page = await read(after);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { at: last.at, partition: last.partition, seq: last.seq };
  }
}

/** Every record matching the query, oldest first, read a page at a time: for JSON-lines export. */
export async function* exportAuditTrail(repository: AuditRepository, query: AuditQuery, pageSize = MAX_PAGE): AsyncGenerator<AuditRecord> {
  checkQuery(query);
  for await (const page of pagesOf((after) => repository.search(query, pageSize, 'asc', after), pageSize)) yield* page;
}

/**
 * The records of `window` without their hashes, oldest first, a page at a time: what anomaly
 * detection reads. Pages rather than records, so that a reader of a large bank's window (hundreds
 * of thousands of records a minute) counts each page in one go instead of awaiting every record.
 */
export async function* auditActivity(repository: AuditRepository, window: { readonly from: Date; readonly to: Date }, pageSize = MAX_PAGE): AsyncGenerator<readonly AuditActivity[]> {
  checkQuery(window);
  yield* pagesOf((after) => repository.activity(window, pageSize, after), pageSize);
}

/** A record as a line of the JSON-lines export and the operator API: its details parsed, its seq a string. */
export function auditRecordJson(record: AuditRecord): Record<string, unknown> {
  let details: unknown;
  try {
    details = JSON.parse(record.details);
  } catch {
    details = record.details;
  }
  return { ...record, seq: record.seq.toString(), at: record.at.toISOString(), details };
}
