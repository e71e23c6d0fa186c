import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import type { Bus, BusEvent } from '../bus/index.ts';
import type { OutboxRelayObserver } from './outbox-metrics.ts';

export interface OutboxRelayOptions {
  readonly pollMs: number;
  readonly batchSize?: number;
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
      const published = await this.relayOnce();
      if (this.failures > 0) this.logger.info({ published }, 'outbox relay recovered');
      this.failures = 0;
      if (published === (this.options.batchSize ?? 100)) next = 0;
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
    const published: string[] = [];
    let failure: { id: string; error: unknown } | undefined;
    for (const row of rows) {
      try {
        await this.bus.publish(toBusEvent(row));
        published.push(row.id);
      } catch (error) {
        // The bus is likely down: stop here, so that nothing of this aggregate overtakes the event.
        failure = { id: row.id, error };
        break;
      }
    }
    const publishedAt = new Date();
    await this.db.transaction().execute(async (trx) => {
      if (published.length > 0) {
        await trx.updateTable('outbox_events').set({ published_at: publishedAt, claimed_until: null }).where('id', 'in', published).execute();
      }
      if (failure) {
        await trx
          .updateTable('outbox_events')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String((failure.error as Error)?.message ?? failure.error).slice(0, 500) }))
          .where('id', '=', failure.id)
          .execute();
      }
      // `published` is the rows before the first failure, in order: the rest are handed back.
      const unpublished = rows.slice(published.length).map((row) => row.id);
      // Released only where the lease is still this pass's: another relay may have taken it over.
      if (unpublished.length > 0) {
        await trx.updateTable('outbox_events').set({ claimed_until: null }).where('id', 'in', unpublished).where('claimed_until', '=', leasedUntil).execute();
      }
    });
    this.options.observer?.published(rows.slice(0, published.length).map((row) => row.occurred_at), publishedAt);
    if (failure !== undefined) this.options.observer?.failed();
    // Surfaced after the failed attempt was recorded on the row.
    if (failure !== undefined && published.length === 0) throw failure.error;
    return published.length;
  }

  /** Leases the earliest unpublished event of each of up to a batch of aggregates, and the ones after it. */
  private async claim(): Promise<{ rows: OutboxRow[]; leasedUntil: Date }> {
    const batchSize = this.options.batchSize ?? 100;
    return this.db.transaction().execute(async (trx) => {
      const heads = await trx
        .selectFrom('outbox_events as o')
        .select(['o.aggregate_type', 'o.aggregate_id', 'o.seq'])
        .where('o.published_at', 'is', null)
        .where((eb) => eb.or([eb('o.claimed_until', 'is', null), eb('o.claimed_until', '<', sql<Date>`now()`)]))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('outbox_events as e')
                .select('e.seq')
                .where('e.published_at', 'is', null)
                .whereRef('e.aggregate_type', '=', 'o.aggregate_type')
                .whereRef('e.aggregate_id', '=', 'o.aggregate_id')
                .whereRef('e.seq', '<', 'o.seq'),
            ),
          ),
        )
        .orderBy('o.seq')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      const leasedUntil = new Date(0);
      if (heads.length === 0) return { rows: [], leasedUntil };
      // The later events of a claimed aggregate: no other relay takes them while its head is leased.
      const rows = await trx
        .selectFrom('outbox_events as f')
        .select(['f.id', 'f.subject', 'f.payload', 'f.occurred_at', 'f.event_type', 'f.event_version', 'f.aggregate_type', 'f.aggregate_id', 'f.aggregate_version', 'f.tpp_client_id', 'f.correlation_id'])
        .where('f.published_at', 'is', null)
        .where((eb) =>
          eb.or(heads.map((head) => eb.and([eb('f.aggregate_type', '=', head.aggregate_type), eb('f.aggregate_id', '=', head.aggregate_id), eb('f.seq', '>=', head.seq)]))),
        )
        .orderBy('f.seq')
        .limit(batchSize)
        .execute();
      const lease = await trx
        .updateTable('outbox_events')
        // Whole milliseconds, so that the value read back into a Date names this lease exactly.
        .set({ claimed_until: sql<Date>`date_trunc('milliseconds', now() + ${this.options.leaseMs ?? 30_000} * interval '1 millisecond')` })
        .where('id', 'in', rows.map((row) => row.id))
        .returning('claimed_until')
        .executeTakeFirstOrThrow();
      return { rows, leasedUntil: lease.claimed_until ?? leasedUntil };
    });
  }
}

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
