import { sql } from 'kysely';
import type { Db } from '../db/index.ts';

/** The relay's place in the outbox: the row `outbox_relay_positions` holds (decision 0011e). */
export interface RelayPosition {
  /** Every event of a transaction visible in this snapshot is published. */
  readonly done: string;
  /** The window being published: transactions visible in this snapshot and not in `done`. */
  readonly target: string;
  /** Whether `target` is saved (a window published in part), or a snapshot taken for this pass. */
  readonly targetSaved: boolean;
  /** Events of the window up to this `seq` are published. */
  readonly afterSeq: string;
}

export interface OutboxRow {
  readonly id: string;
  readonly seq: string;
  readonly subject: string;
  readonly payload: unknown;
  readonly occurred_at: Date;
  readonly event_type: string;
  readonly event_version: number;
  readonly aggregate_type: string;
  readonly aggregate_id: string;
  readonly aggregate_version: number;
  readonly tpp_client_id: string | null;
  readonly correlation_id: string | null;
}

const POSITION = 'outbox';

/** Whether `holder` may take the position: no relay holds it, its holder's lease is over, or it is `holder`'s already. */
const takeableBy = (holder: string) => sql<boolean>`(holder IS NULL OR held_until IS NULL OR held_until < now() OR holder = ${holder})`;

/**
 * The position, for `holder`: undefined while another relay holds it. Taken (or renewed) when it is
 * free, its lease over, or this holder's lease half spent; otherwise only read, so a relay with
 * nothing to publish writes nothing. A window not under way starts at the snapshot read here.
 */
export async function takePosition(db: Db, holder: string, leaseMs: number): Promise<RelayPosition | undefined> {
  const { rows } = await sql<{ done: string; target: string | null; after_seq: string; snapshot: string; free: boolean; renewal_due: boolean }>`
    SELECT done::text AS done, target::text AS target, after_seq::text AS after_seq, pg_current_snapshot()::text AS snapshot,
      ${takeableBy(holder)} AS free,
      (holder IS DISTINCT FROM ${holder} OR held_until IS NULL OR held_until < now() + ${leaseMs / 2} * interval '1 millisecond') AS renewal_due
    FROM outbox_relay_positions WHERE name = ${POSITION}`.execute(db);
  const read = rows[0];
  if (!read?.free) return undefined;
  let row: { done: string; target: string | null; after_seq: string } = read;
  if (read.renewal_due) {
    const taken = await sql<{ done: string; target: string | null; after_seq: string }>`
      UPDATE outbox_relay_positions SET holder = ${holder}, held_until = now() + ${leaseMs} * interval '1 millisecond'
      WHERE name = ${POSITION} AND ${takeableBy(holder)}
      RETURNING done::text AS done, target::text AS target, after_seq::text AS after_seq`.execute(db);
    if (!taken.rows[0]) return undefined;
    row = taken.rows[0];
  }
  return { done: row.done, target: row.target ?? read.snapshot, targetSaved: row.target !== null, afterSeq: row.after_seq };
}

/**
 * The next events of the window after `afterSeq`, in `seq` order, at most `limit`. The `xid` range
 * bounds the index scan; visibility in the two snapshots decides.
 */
export async function readWindowChunk(db: Db, position: RelayPosition, limit: number): Promise<OutboxRow[]> {
  const { rows } = await sql<OutboxRow>`
    SELECT id, seq::text AS seq, subject, payload, occurred_at, event_type, event_version, aggregate_type, aggregate_id, aggregate_version, tpp_client_id, correlation_id
    FROM outbox_events
    WHERE xid >= pg_snapshot_xmin(${position.done}::pg_snapshot) AND xid < pg_snapshot_xmax(${position.target}::pg_snapshot)
      AND pg_visible_in_snapshot(xid, ${position.target}::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, ${position.done}::pg_snapshot)
      AND outbox_events.seq > ${position.afterSeq}::bigint
    -- The table's seq, not the text one selected.
    ORDER BY outbox_events.seq
    LIMIT ${limit}`.execute(db);
  return rows;
}

/**
 * Saves a pass's progress, only while `holder` still holds the position: the window finished
 * (`done` becomes its target), or published up to `afterSeq` (the window's target saved with it,
 * since a later snapshot would make another window). False when another relay took the position
 * over meanwhile.
 */
export async function recordProgress(db: Db, holder: string, target: string, progress: { readonly windowDone: true } | { readonly afterSeq: string }): Promise<boolean> {
  const result =
    'windowDone' in progress
      ? await sql`UPDATE outbox_relay_positions SET done = ${target}::pg_snapshot, target = NULL, after_seq = 0 WHERE name = ${POSITION} AND holder = ${holder}`.execute(db)
      : await sql`UPDATE outbox_relay_positions SET target = ${target}::pg_snapshot, after_seq = ${progress.afterSeq}::bigint WHERE name = ${POSITION} AND holder = ${holder}`.execute(db);
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** Hands the position back (a relay stopping), so another relay need not wait for the lease to end. */
export async function releasePosition(db: Db, holder: string): Promise<void> {
  await sql`UPDATE outbox_relay_positions SET holder = NULL, held_until = NULL WHERE name = ${POSITION} AND holder = ${holder}`.execute(db);
}

/**
 * Events not yet published and the oldest one's occurred-at: those committed since the position's
 * `done` snapshot (the backlog every instance shares).
 */
export async function unpublishedBacklog(db: Db): Promise<{ waiting: number; oldest: Date | null }> {
  const { rows } = await sql<{ waiting: string; oldest: Date | null }>`
    SELECT count(*) AS waiting, min(e.occurred_at) AS oldest
    FROM outbox_relay_positions p JOIN outbox_events e
      ON e.xid >= pg_snapshot_xmin(p.done) AND NOT pg_visible_in_snapshot(e.xid, p.done)
    WHERE p.name = ${POSITION}`.execute(db);
  return { waiting: Number(rows[0]!.waiting), oldest: rows[0]!.oldest };
}

/** Whether an outbox row's transaction is visible in the position's `done` snapshot, and so its events published. */
export function isPublished(db: Db) {
  const done = db.selectFrom('outbox_relay_positions').select('done').where('name', '=', POSITION);
  return sql<boolean>`(xid < pg_snapshot_xmax((${done})::pg_snapshot) AND pg_visible_in_snapshot(xid, (${done})::pg_snapshot))`;
}
