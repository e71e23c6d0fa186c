import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { auditCheckpointSigner } from '../app/audit-checkpoint-signer.ts';
import { AUDIT_KINDS, AUDIT_MAX_PAGE, auditRecordJson, createAuditModule, type AuditApi, type AuditKind, type AuditQuery, type PartitionVerdict, type VerificationHooks } from '../modules/audit/index.ts';
import { isCalendarDay, parseInstant } from '../platform/calendar/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import type { DatabaseHandle } from '../platform/db/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';
import { progressCounter } from './progress-bar.ts';
import { pino } from 'pino';

/** The audit trail as a command sees it: verification and reads only (it signs nothing). */
function auditOf({ db }: DatabaseHandle): AuditApi {
  const config = loadConfig();
  return createAuditModule({ db, signer: auditCheckpointSigner(db), settings: config.audit, logger: pino({ level: 'silent' }) });
}

const bigintText = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** A verification as this process made it, or as a server answered it in JSON (seqs as text). */
type Verdict = Pick<PartitionVerdict, 'partition' | 'status' | 'records' | 'checkpoints'>;
interface Verification {
  readonly ok: boolean;
  readonly partitions: readonly Verdict[];
  readonly firstBreak?: { readonly partition: string; readonly seq: bigint | string; readonly kind: string; readonly detail: string } | undefined;
}

/**
 * `portico audit verify [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]`: proves each day's chain
 * and the bank's signatures on its checkpoints; prints each day as it is done and the first break,
 * and meanwhile (on stderr) the records of the day proved so far.
 * Exits 1 when the trail is broken.
 */
export async function auditVerifyCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  for (const [name, value] of [['--from', values.from], ['--to', values.to]] as const) {
    if (value !== undefined && !isCalendarDay(value)) throw new CliError(`${name} must be a UTC day, YYYY-MM-DD (got "${value}")`, 2);
  }
  if (values.from !== undefined && values.to !== undefined && values.from > values.to) throw new CliError('--from must not be after --to', 2);
  const printed = new Set<string>();
  const print = (verdict: Verdict) => {
    if (values.json || printed.has(verdict.partition)) return;
    printed.add(verdict.partition);
    const what = verdict.status === 'expired' ? 'expired; its last checkpoint verifies' : `${verdict.records} record(s), ${verdict.checkpoints} checkpoint(s)`;
    process.stdout.write(`${verdict.partition}  ${verdict.status.padEnd(7)}  ${what}\n`);
  };
  const range = { from: values.from, to: values.to };
  // A day of a large bank's trail takes long to prove: its records proved so far, on stderr.
  const progress = values.json ? undefined : progressCounter('records proved');
  const hooks: VerificationHooks = {
    onPage: (records, partition) => progress?.update(partition, records),
    onPartition: (verdict) => {
      progress?.stop();
      print(verdict);
    },
  };
  const report: Verification = await withDatabase(loadConfig(), {
    direct: (database) => auditOf(database).verify(range, hooks).finally(() => progress?.stop()),
    // The embedded database held by a running server: verified by that server.
    viaServer: async (server) =>
      (await server.request('GET', `/sandbox/v1/operator/audit/verification?${new URLSearchParams(Object.entries(range).filter((entry): entry is [string, string] => entry[1] !== undefined))}`, { operator: true })) as Verification,
  });
  for (const verdict of report.partitions) print(verdict);
  if (values.json) process.stdout.write(`${JSON.stringify(report, bigintText, 2)}\n`);
  else if (report.partitions.length === 0) process.stdout.write('No audit records in that range.\n');
  else if (report.firstBreak) {
    const { partition, seq, kind, detail } = report.firstBreak;
    process.stdout.write(`BROKEN: the first break is in ${partition} at record ${seq} (${kind}): ${detail}\n`);
  } else process.stdout.write(`Intact: ${report.partitions.length} day(s) verified.\n`);
  if (!report.ok) throw new CliError('the audit trail is broken', 1);
}

const FILTERS = {
  client: { type: 'string' },
  organisation: { type: 'string' },
  consent: { type: 'string' },
  psu: { type: 'string' },
  interaction: { type: 'string' },
  kind: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

function queryOf(values: { [K in keyof typeof FILTERS]?: string | undefined }): AuditQuery {
  const instant = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const at = parseInstant(value);
    if (!at) throw new CliError(`--${name} must be a time with its offset (2026-12-06T10:00:00Z) or a UTC day (2026-12-06) (got "${value}")`, 2);
    return at;
  };
  if (values.kind !== undefined && !(AUDIT_KINDS as readonly string[]).includes(values.kind)) throw new CliError(`--kind must be one of ${AUDIT_KINDS.join(', ')}`, 2);
  return {
    clientId: values.client,
    organisationId: values.organisation,
    consentId: values.consent,
    psuId: values.psu,
    interactionId: values.interaction,
    kind: values.kind as AuditKind | undefined,
    from: instant('from', values.from),
    to: instant('to', values.to),
  };
}

/** `portico audit search [filters] [--limit N] [--json]`: the newest records matching, one line each. */
export async function auditSearchCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { ...FILTERS, limit: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_PAGE) throw new CliError(`--limit must be a whole number from 1 to ${AUDIT_MAX_PAGE}`, 2);
  const query = queryOf(values);
  const page = await withDatabase(loadConfig(), {
    direct: async (database) => {
      const found = await auditOf(database).search(query, limit);
      return { records: found.records.map(auditRecordJson) as unknown as RecordJson[], more: found.next !== undefined };
    },
    // The embedded database held by a running server: searched by that server.
    viaServer: async (server) => (await server.request('GET', `/sandbox/v1/operator/audit/records?${searchParams(values, limit)}`, { operator: true })) as { records: RecordJson[]; more: boolean },
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(page.records, null, 2)}\n`);
    return;
  }
  for (const record of page.records) {
    const who = [record.clientId && `client ${record.clientId}`, record.consentId && `consent ${record.consentId}`, record.psuId && `PSU ${record.psuId}`].filter(Boolean).join(', ');
    process.stdout.write(`${record.at}  ${record.kind.padEnd(17)} ${record.action}  → ${record.outcome}${who ? `  (${who})` : ''}  [${record.partition}#${record.seq}]\n`);
  }
  process.stdout.write(`${page.records.length} record(s)${page.more ? ` (the newest ${limit}; narrow the search or raise --limit)` : ''}.\n`);
}

/** A record as JSON (`auditRecordJson`): what both paths print. */
interface RecordJson {
  readonly partition: string;
  readonly seq: string;
  readonly at: string;
  readonly kind: string;
  readonly action: string;
  readonly outcome: string;
  readonly clientId: string | null;
  readonly consentId: string | null;
  readonly psuId: string | null;
}

/** The search's filters as the operator API's query string. */
function searchParams(values: { [K in keyof typeof FILTERS]?: string | undefined }, limit: number): URLSearchParams {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const name of Object.keys(FILTERS) as Array<keyof typeof FILTERS>) {
    const value = values[name];
    if (value !== undefined) params.set(name, name === 'from' || name === 'to' ? parseInstant(value)!.toISOString() : value);
  }
  return params;
}

/** `portico audit export [filters] [--out FILE]`: every record matching, oldest first, as JSON lines. */
export async function auditExportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { ...FILTERS, out: { type: 'string' } }, strict: true });
  const query = queryOf(values);
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  let count = 0;
  const write = async (record: unknown) => {
    if (!out.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    count += 1;
    if (values.out && count % 10_000 === 0) process.stderr.write(`\r${count} records exported…`);
  };
  await withDatabase(loadConfig(), {
    direct: async (database) => {
      for await (const record of auditOf(database).export(query)) await write(auditRecordJson(record));
    },
    // The embedded database held by a running server: exported by that server, a page at a time.
    viaServer: async (server) => {
      const params = searchParams(values, AUDIT_MAX_PAGE);
      let cursor: string | undefined;
      do {
        if (cursor) params.set('cursor', cursor);
        const page = (await server.request('GET', `/sandbox/v1/operator/audit/export?${params}`, { operator: true })) as { records: unknown[]; next?: string };
        for (const record of page.records) await write(record);
        cursor = page.next;
      } while (cursor);
    },
  });
  if (values.out) {
    await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())));
    process.stderr.write(`\r${count} record(s) exported to ${values.out}\n`);
  }
}
