import type { AuditActivity, AuditCheckpoint, AuditQuery, AuditRecord } from './audit-record.ts';

/** A partition's chain head: its last record's seq and hash (seq 0: no record yet). */
export interface ChainHead {
  readonly seq: bigint;
  readonly hash: string;
}

/** A batch chained onto a partition's head (audit-chain.ts `chainBatch`). */
export interface ChainedBatch {
  /** The records, chained as they are read: read once, in order. */
  readonly records: Iterable<AuditRecord>;
  /** The bank-signed checkpoint of the last record, once `records` was read to its end. */
  checkpoint(): Promise<AuditCheckpoint>;
}

/** Where a record is in time order: what a search continues after. */
export interface RecordPosition {
  readonly at: Date;
  readonly partition: string;
  readonly seq: bigint;
}

export interface PartitionRow {
  readonly partition: string;
  /** Whether the partitions table lists it (a partition with records but no row was not made by the trail). */
  readonly listed: boolean;
  readonly expiredAt: Date | null;
}

/** The audit trail's storage (infra/kysely-audit-repository.ts). */
export interface AuditRepository {
  /**
   * Appends to a partition in one transaction, alone on it across every instance: reads its
   * head, lets `extend` chain the records onto it, writes them as it reads them, then the signed
   * checkpoint of the new head.
   */
  append(partition: string, extend: (head: ChainHead) => ChainedBatch): Promise<void>;
  /** Runs `read` over one snapshot of the trail, so that a verification sees records and checkpoints committed together. */
  snapshot<T>(read: (reader: AuditReader) => Promise<T>): Promise<T>;
  /** Records matching the query in time order (`desc`: newest first), after the record `after` in that order. */
  search(query: AuditQuery, limit: number, order: 'asc' | 'desc', after?: RecordPosition): Promise<AuditRecord[]>;
  /** Records of `window` in time order without their hashes, after the record `after`. */
  activity(window: { readonly from: Date; readonly to: Date }, limit: number, after?: RecordPosition): Promise<AuditActivity[]>;
  /** Partitions not yet expired whose day is before `before` (YYYY-MM-DD). */
  partitionsBefore(before: string): Promise<string[]>;
  /** Deletes a partition's records and all its checkpoints but the last, and marks it expired; returns the records deleted. */
  expire(partition: string, now: Date): Promise<number>;
}

/** What verification reads. */
export interface AuditReader {
  /** Partitions from `from` to `to` (UTC days, inclusive), listed or holding records or checkpoints. */
  partitions(from?: string, to?: string): Promise<PartitionRow[]>;
  /** Up to `limit` records of a partition after `afterSeq`, in seq order. */
  records(partition: string, afterSeq: bigint, limit: number): Promise<AuditRecord[]>;
  /** A partition's checkpoints with seq in (afterSeq, uptoSeq], in seq order; all after `afterSeq` without `uptoSeq`. */
  checkpoints(partition: string, afterSeq: bigint, uptoSeq?: bigint): Promise<AuditCheckpoint[]>;
  /** The seq of the record of a partition with this hash, if any. */
  seqOfHash(partition: string, hash: string): Promise<bigint | undefined>;
}
