import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import type { Bus, BusEvent } from '../bus/index.ts';
import type { OutboxRelayObserver } from './outbox-metrics.ts';

export interface OutboxRelayOptions {
  readonly pollMs: number;
  readonly batchSize?: number;
  /** Passes one relay runs side by side while a backlog lasts (default 3). */
  readonly parallelPasses?: number;
  /** Longest pause between attempts while the bus is failing. */
  readonly maxBackoffMs?: number;
  /** How long a relay's claim on events lasts before another relay may take them over. */
  readonly leaseMs?: number;
  /** Told of each pass's publications and failures (`OutboxMetrics`). */
  readonly observer?: OutboxRelayObserver;
}

/**
 * Moves committed outbox rows to the bus. Rows are leased with `FOR UPDATE SKIP LOCKED`, so any
 * number of processes can run a relay, in order per aggregate; a row is marked published only
 * after the bus acknowledged it. A crash between the two re-publishes the event with the same id,
 * which the bus de-duplicates: at-least-once, de-duplicated by event id.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Asks for a pass now rather than at the next poll (after a commit that wrote events). */
  nudge(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let next = this.options.pollMs;
    try {
      let published = await this.relayOnce();
      if (this.failures > 0) this.logger.info({ published }, 'outbox relay recovered');
      this.failures = 0;
      const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
      if (published === batchSize) {
        // A backlog: passes side by side, each claiming its own lease, so that one pass's bus round
        // trips overlap another's database ones; each stops at the first batch that comes back short.
        const lane = async () => {
          while (!this.stopped) {
            const count = await this.relayOnce();
            published += count;
            if (count < batchSize) return;
          }
        };
        await Promise.all(Array.from({ length: this.options.parallelPasses ?? DEFAULT_PARALLEL_PASSES }, lane));
        next = 0;
      }
    } catch (error) {
      this.failures += 1;
      next = Math.min(this.options.pollMs * 2 ** this.failures, this.options.maxBackoffMs ?? 5000);
      if (this.failures === 1 || this.failures % 20 === 0) {
        this.logger.warn({ err: error, failures: this.failures }, 'outbox relay could not publish; events stay queued');
      }
    }
    this.schedule(next);
  }

  /**
   * One pass: claims the next events of up to a batch of aggregates, publishes them in order and
   * marks them published; returns how many were published. Each database step is its own short
   * transaction, and no row lock is held while the bus is awaited: the claim is a lease
   * (`claimed_until`). An aggregate's events are claimed only from its earliest unpublished one,
   * and only while no other relay's lease is on it, so two relays never publish event N+1 of an
   * aggregate before N. A relay whose lease ran out may publish an event again, with the same id,
   * which the bus and the consumers' inbox drop.
   */
  async relayOnce(): Promise<number> {
    const { rows, leasedUntil } = await this.claim();
    if (rows.length === 0) return 0;
    const { published, failures } = await this.publishInOrderPerAggregate(rows);
    const publishedAt = new Date();
    if (published.size === rows.length) {
      // Every one published: one statement marks them.
      await this.db.updateTable('outbox_events').set({ published_at: publishedAt, claimed_until: null }).where('id', 'in', [...published]).execute();
      this.options.observer?.published(rows.map((row) => row.occurred_at), publishedAt);
      return published.size;
    }
    await this.db.transaction().execute(async (trx) => {
      if (published.size > 0) {
        await trx.updateTable('outbox_events').set({ published_at: publishedAt, claimed_until: null }).where('id', 'in', [...published]).execute();
      }
      if (failures.length > 0) {
        await trx
          .updateTable('outbox_events')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String((failures[0]!.error as Error)?.message ?? failures[0]!.error).slice(0, 500) }))
          .where('id', 'in', failures.map((failure) => failure.id))
          .execute();
      }
      // The rest are handed back: each failed event and those after it in its aggregate. Released
      // only where the lease is still this pass's: another relay may have taken it over.
      const unpublished = rows.filter((row) => !published.has(row.id)).map((row) => row.id);
      if (unpublished.length > 0) {
        await trx.updateTable('outbox_events').set({ claimed_until: null }).where('id', 'in', unpublished).where('claimed_until', '=', leasedUntil).execute();
      }
    });
    this.options.observer?.published(rows.filter((row) => published.has(row.id)).map((row) => row.occurred_at), publishedAt);
    if (failures.length > 0) this.options.observer?.failed();
    // Surfaced after the failed attempts were recorded on their rows.
    if (failures.length > 0 && published.size === 0) throw failures[0]!.error;
    return published.size;
  }

  /**
   * Publishes the claimed events: each aggregate's one after the other, in order, and the
   * aggregates side by side, so a pass costs about as many bus round trips as its longest
   * aggregate has events rather than as it has events. An aggregate stops at its first failed
   * publish (the bus is likely down), so nothing of it overtakes that event.
   */
  private async publishInOrderPerAggregate(rows: readonly OutboxRow[]): Promise<{ published: Set<string>; failures: Array<{ id: string; error: unknown }> }> {
    const chains = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const key = `${row.aggregate_type}\u0000${row.aggregate_id}`;
      const chain = chains.get(key);
      if (chain) chain.push(row);
      else chains.set(key, [row]);
    }
    const published = new Set<string>();
    const failures: Array<{ id: string; error: unknown }> = [];
    await Promise.all(
      [...chains.values()].map(async (chain) => {
        for (const row of chain) {
          try {
            await this.bus.publish(toBusEvent(row));
            published.add(row.id);
          } catch (error) {
            failures.push({ id: row.id, error });
            return;
          }
        }
      }),
    );
    return { published, failures };
  }

  /**
   * Leases up to a batch of the earliest unpublished events no relay holds, in one statement: the
   * first ones by `seq` (rows another relay is claiming are skipped), less any whose aggregate has
   * an earlier unpublished event outside the batch (leased by another relay, or failing), so no
   * relay publishes event N+1 of an aggregate while N waits elsewhere.
   */
  private async claim(): Promise<{ rows: OutboxRow[]; leasedUntil: Date }> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const leaseMs = this.options.leaseMs ?? 30_000;
    const { rows } = await sql<OutboxRow & { seq: string; claimed_until: Date }>`
      WITH candidates AS MATERIALIZED (
        SELECT id, aggregate_type, aggregate_id, seq FROM outbox_events
        WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY seq
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      ),
      claimable AS (
        SELECT c.id FROM candidates c
        WHERE NOT EXISTS (
          SELECT 1 FROM outbox_events e
          WHERE e.published_at IS NULL AND e.aggregate_type = c.aggregate_type AND e.aggregate_id = c.aggregate_id AND e.seq < c.seq
            AND NOT EXISTS (SELECT 1 FROM candidates earlier WHERE earlier.id = e.id)
        )
      )
      UPDATE outbox_events o
      -- Whole milliseconds, so that the value read back into a Date names this lease exactly.
      SET claimed_until = date_trunc('milliseconds', now() + ${leaseMs} * interval '1 millisecond')
      FROM claimable
      WHERE o.id = claimable.id
      RETURNING o.id, o.seq, o.subject, o.payload, o.occurred_at, o.event_type, o.event_version, o.aggregate_type, o.aggregate_id, o.aggregate_version, o.tpp_client_id, o.correlation_id, o.claimed_until`.execute(this.db);
    if (rows.length === 0) return { rows: [], leasedUntil: new Date(0) };
    rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
    return { rows, leasedUntil: rows[0]!.claimed_until };
  }
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_PARALLEL_PASSES = 3;

interface OutboxRow {
  readonly id: string;
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

function toBusEvent(row: OutboxRow): BusEvent {
  return {
    id: row.id,
    subject: row.subject,
    occurredAt: row.occurred_at.toISOString(),
    payload: row.payload,
    type: row.event_type,
    version: row.event_version,
    aggregate: { type: row.aggregate_type, id: row.aggregate_id, version: row.aggregate_version },
    tppClientId: row.tpp_client_id,
    correlationId: row.correlation_id,
  };
}
