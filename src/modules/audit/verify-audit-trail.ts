import { isCalendarDay } from '../../platform/calendar/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { checkpointPayload, genesisHash, recordHash } from './audit-chain.ts';
import { AuditErrors } from './audit.errors.ts';
import type { AuditCheckpoint, CheckpointSigner } from './audit-record.ts';
import type { AuditReader, AuditRepository, PartitionRow } from './audit.repository.port.ts';

/**
 * How a partition's chain is broken, at the first place it is:
 * - `modified`: a record's columns no longer hash to its hash;
 * - `deleted`: records are missing (a gap in seq, or a record chains to one that is gone);
 * - `inserted`: a record chains to one before its predecessor (its predecessor is not of the chain);
 * - `reordered`: a record chains to one that comes after it;
 * - `truncated`: a checkpoint names records that are gone from the end;
 * - `unattested`: records after the last checkpoint (the writer checkpoints everything it writes);
 * - `checkpoint`: a checkpoint is not the bank's signature on the chain as it stands (the chain was recomputed, or the checkpoint forged);
 * - `partition`: a partition's records or checkpoints are not as the trail made them (one with records but not listed, one listed without a checkpoint).
 */
export type AuditBreakKind = 'modified' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'unattested' | 'checkpoint' | 'partition';

export interface AuditBreak {
  readonly partition: string;
  /** The seq of the first record (or checkpoint) found wrong. */
  readonly seq: bigint;
  readonly kind: AuditBreakKind;
  readonly detail: string;
}

export interface PartitionVerdict {
  readonly partition: string;
  readonly status: 'intact' | 'expired' | 'broken';
  readonly records: number;
  readonly checkpoints: number;
  readonly break?: AuditBreak | undefined;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly partitions: readonly PartitionVerdict[];
  /** The first break, in partition order. */
  readonly firstBreak?: AuditBreak | undefined;
}

const PAGE = 5000;

export type DayRange = { readonly from?: string | undefined; readonly to?: string | undefined };

/** Refuses a verification range that is not two calendar days (`YYYY-MM-DD`) in order: 2026-02-30 would otherwise be read as some other day, or match none. */
export function checkVerificationRange(range: DayRange): void {
  for (const [name, day] of [['from', range.from], ['to', range.to]] as const) {
    if (day !== undefined && !isCalendarDay(day)) throw new AppError(AuditErrors.QUERY_INVALID, { message: `${name} must be a calendar day, YYYY-MM-DD (got "${day}")` });
  }
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) throw new AppError(AuditErrors.QUERY_INVALID, { message: 'from must not be after to' });
}

const verificationOf = (verdicts: readonly PartitionVerdict[]): AuditVerification => {
  const firstBreak = verdicts.find((verdict) => verdict.break)?.break;
  return { ok: firstBreak === undefined, partitions: verdicts, firstBreak };
};

/** Proves the chain of every partition from `from` to `to` (UTC days, inclusive) and its checkpoints, all through one reader. */
export async function verifyAuditTrail(reader: AuditReader, signer: CheckpointSigner, range: DayRange = {}, onPartition?: (verdict: PartitionVerdict) => void): Promise<AuditVerification> {
  const verdicts: PartitionVerdict[] = [];
  for (const partition of await reader.partitions(range.from, range.to)) {
    const verdict = await verifyPartition(reader, signer, partition);
    verdicts.push(verdict);
    onPartition?.(verdict);
  }
  return verificationOf(verdicts);
}

/** What a long verification reports as it goes (a verification run saves its progress through them). */
export interface VerificationHooks {
  /** The days the range holds, once listed. */
  readonly onDays?: (count: number) => void | Promise<void>;
  /** A day's verdict, between days (outside any snapshot): may write. */
  readonly onPartition?: (verdict: PartitionVerdict) => void | Promise<void>;
  /**
   * The records of the day (`partition`) read so far, after each page, inside the day's snapshot:
   * it must not wait for the database (the embedded database has one connection, which the
   * snapshot holds). It may throw to stop the verification.
   */
  readonly onPage?: (records: number, partition: string) => void;
}

/**
 * `verifyAuditTrail` with each day read in a snapshot of its own, where its records and
 * checkpoints are consistent. One snapshot over a whole trail would hold one transaction open for
 * as long as years of records take to hash, and PostgreSQL could not remove dead rows of any table
 * meanwhile (outbox, jobs, idempotency keys: the busiest). A day listed but gone by the time it is
 * read (retention, or deleted whole) is passed over, as it would have been had it gone before.
 */
export async function verifyAuditTrailByDay(snapshot: AuditRepository['snapshot'], signer: CheckpointSigner, range: DayRange = {}, hooks: VerificationHooks = {}): Promise<AuditVerification> {
  const days = await snapshot((reader) => reader.partitions(range.from, range.to));
  await hooks.onDays?.(days.length);
  const verdicts: PartitionVerdict[] = [];
  for (const { partition } of days) {
    const verdict = await snapshot(async (reader) => {
      const [row] = await reader.partitions(partition, partition);
      return row && verifyPartition(reader, signer, row, hooks.onPage);
    });
    if (!verdict) continue;
    verdicts.push(verdict);
    await hooks.onPartition?.(verdict);
  }
  return verificationOf(verdicts);
}

async function checkpointValid(signer: CheckpointSigner, checkpoint: AuditCheckpoint): Promise<boolean> {
  const payload = await signer.verify(checkpoint.jws);
  return payload !== undefined && Buffer.from(payload).equals(Buffer.from(checkpointPayload(checkpoint)));
}

/** One partition: its records in seq order against their hashes and links, and its checkpoints against the chain. */
export async function verifyPartition(reader: AuditReader, signer: CheckpointSigner, row: PartitionRow, onPage?: VerificationHooks['onPage']): Promise<PartitionVerdict> {
  const { partition } = row;
  let records = 0;
  let checkpoints = 0;
  const broken = (seq: bigint, kind: AuditBreakKind, detail: string): PartitionVerdict => ({ partition, status: 'broken', records, checkpoints, break: { partition, seq, kind, detail } });
  if (!row.listed) return broken(0n, 'partition', `partition ${partition} holds records or checkpoints the trail did not make`);

  if (row.expiredAt) {
    // Retention deleted its records; its last checkpoint still proves what the chain ended on.
    const kept = await reader.checkpoints(partition, 0n);
    if (kept.length === 0) return broken(0n, 'partition', `expired partition ${partition} has lost its checkpoint`);
    for (const checkpoint of kept) {
      checkpoints += 1;
      if (!(await checkpointValid(signer, checkpoint))) return broken(checkpoint.seq, 'checkpoint', `checkpoint at record ${checkpoint.seq} is not the bank's signature on it`);
    }
    const leftover = await reader.records(partition, 0n, 1);
    if (leftover.length > 0) return broken(leftover[0]!.seq, 'inserted', `expired partition ${partition} holds records again`);
    return { partition, status: 'expired', records, checkpoints };
  }

  let expectedSeq = 1n;
  let prevHash = genesisHash(partition);
  let lastCheckpoint: AuditCheckpoint | undefined;
  let afterSeq = 0n;
  for (;;) {
    const page = await reader.records(partition, afterSeq, PAGE);
    if (page.length === 0) break;
    const uptoSeq = page[page.length - 1]!.seq;
    const due = await reader.checkpoints(partition, afterSeq, uptoSeq);
    const hashAt = new Map<bigint, string>();
    for (const record of page) {
      if (recordHash(record) !== record.hash) return broken(record.seq, 'modified', `record ${record.seq} does not hash to its stored hash`);
      if (record.seq !== expectedSeq) return broken(expectedSeq, 'deleted', `records ${expectedSeq}${record.seq - 1n > expectedSeq ? `–${record.seq - 1n}` : ''} are missing`);
      if (record.prevHash !== prevHash) {
        const linked = await reader.seqOfHash(partition, record.prevHash);
        if (linked === undefined) return broken(record.seq, 'deleted', `record ${record.seq} follows a record that is gone`);
        if (linked > record.seq) return broken(record.seq, 'reordered', `record ${record.seq} follows record ${linked}, which comes after it`);
        return broken(record.seq - 1n, 'inserted', `record ${record.seq} follows record ${linked}: record ${record.seq - 1n} is not of the chain`);
      }
      hashAt.set(record.seq, record.hash);
      prevHash = record.hash;
      expectedSeq = record.seq + 1n;
      records += 1;
    }
    for (const checkpoint of due) {
      checkpoints += 1;
      if (hashAt.get(checkpoint.seq) !== checkpoint.hash) return broken(checkpoint.seq, 'checkpoint', `the chain at record ${checkpoint.seq} is not what the checkpoint signed: records up to it were rewritten`);
      if (!(await checkpointValid(signer, checkpoint))) return broken(checkpoint.seq, 'checkpoint', `checkpoint at record ${checkpoint.seq} is not the bank's signature on it`);
      lastCheckpoint = checkpoint;
    }
    afterSeq = uptoSeq;
    onPage?.(records, partition);
  }
  const lastSeq = expectedSeq - 1n;
  const beyond = await reader.checkpoints(partition, lastSeq);
  if (beyond.length > 0) return broken(lastSeq + 1n, 'truncated', `records ${lastSeq + 1n}–${beyond[beyond.length - 1]!.seq} were checkpointed and are gone`);
  if (lastCheckpoint === undefined && records === 0) return broken(0n, 'partition', `partition ${partition} has neither records nor a checkpoint`);
  if (lastCheckpoint === undefined || lastCheckpoint.seq < lastSeq) return broken((lastCheckpoint?.seq ?? 0n) + 1n, 'unattested', `records ${(lastCheckpoint?.seq ?? 0n) + 1n}–${lastSeq} follow the last checkpoint`);
  return { partition, status: 'intact', records, checkpoints };
}
