import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import type { Bus, BusEvent } from '../bus/index.ts';
import type { OutboxRelayObserver } from './outbox-metrics.ts';
import { readWindowChunk, recordProgress, releasePosition, takePosition, type OutboxRow } from './relay-position.ts';

export interface OutboxRelayOptions {
  readonly pollMs: number;
  /** Most events read and published in one pass (default 2000). */
  readonly batchSize?: number;
  /** Longest pause between attempts while the bus is failing. */
  readonly maxBackoffMs?: number;
  /** How long the relay's hold on the outbox position lasts unrenewed before another relay may take it over (default 10 s). */
  readonly leaseMs?: number;
  /** Told of each pass's publications and failures (`OutboxMetrics`). */
  readonly observer?: OutboxRelayObserver;
}

/**
 * Moves committed outbox rows to the bus without writing to them (decision 0011e). The relay
 * holding the outbox position (`outbox_relay_positions`, leased, renewed once half spent; any number
 * of processes run a relay, the others stand by) publishes the events of one snapshot window at a
 * time: those committed by transactions visible in a snapshot it takes (`target`) and not in the
 * last one it finished (`done`), in `seq` order, in chunks. A window holds whole transactions, and
 * an aggregate's later event commits after its earlier one (the stream row lock), so an aggregate's
 * events are published in order, and a transaction that commits late is never skipped. Progress is
 * saved after the bus acknowledged a chunk; a crash or a lost lease between the two publishes the
 * chunk again with the same ids, which the bus and the consumers' inbox drop: at-least-once,
 * de-duplicated by event id.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;
  private readonly holder = randomUUID();

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

  /** Stops after the pass under way and hands the position back, so a standing-by relay takes over at once. */
  async stop(): Promise<void> {
    if (this.stopped && !this.running) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await releasePosition(this.db, this.holder).catch((error: unknown) => this.logger.warn({ err: error }, 'outbox relay could not hand back its position; another relay takes it over when the lease ends'));
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
      const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
      let count = await this.relayOnce();
      let published = count;
      // A backlog: pass after pass until a chunk comes back short.
      while (count === batchSize && !this.stopped) {
        count = await this.relayOnce();
        published += count;
      }
      if (this.failures > 0) this.logger.info({ published }, 'outbox relay recovered');
      this.failures = 0;
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
   * One pass: takes (or renews) the position, reads the next chunk of its window, publishes it and
   * saves how far it got; returns how many events were published, 0 when another relay holds the
   * position. Each aggregate's events are published one after the other, the aggregates side by
   * side; an aggregate stops at its first failed publish. Progress stops before the first event not
   * published, so the next pass starts there, and the failure is thrown once it is saved.
   */
  async relayOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const position = await takePosition(this.db, this.holder, this.options.leaseMs ?? DEFAULT_LEASE_MS);
    if (!position) return 0;
    const rows = await readWindowChunk(this.db, position, batchSize);
    // Nothing committed since the last window: nothing to save either.
    if (rows.length === 0 && !position.targetSaved) return 0;
    const { published, failure } = await this.publishInOrderPerAggregate(rows);
    const publishedAt = new Date();
    // How many of the chunk, from its start, were published: the position moves past those only.
    const firstUnpublished = rows.findIndex((row) => !published.has(row.id));
    const through = firstUnpublished === -1 ? rows.length : firstUnpublished;
    const progress = through === rows.length && rows.length < batchSize ? { windowDone: true as const } : through > 0 ? { afterSeq: rows[through - 1]!.seq } : undefined;
    if (progress && !(await recordProgress(this.db, this.holder, position.target, progress))) this.logger.info('outbox relay lost its position to another relay; standing by');
    this.options.observer?.published(rows.filter((row) => published.has(row.id)).map((row) => row.occurred_at), publishedAt);
    if (failure) {
      this.options.observer?.failed();
      throw failure.error;
    }
    return published.size;
  }

  /**
   * Publishes a chunk: each aggregate's events one after the other, in order, and the aggregates
   * side by side, so a pass costs about as many bus round trips as its longest aggregate has events
   * rather than as it has events. An aggregate stops at its first failed publish (the bus is likely
   * down), so nothing of it overtakes that event.
   */
  private async publishInOrderPerAggregate(rows: readonly OutboxRow[]): Promise<{ published: Set<string>; failure: { error: unknown } | undefined }> {
    const chains = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const key = `${row.aggregate_type}\u0000${row.aggregate_id}`;
      const chain = chains.get(key);
      if (chain) chain.push(row);
      else chains.set(key, [row]);
    }
    const published = new Set<string>();
    let failure: { error: unknown } | undefined;
    await Promise.all(
      [...chains.values()].map(async (chain) => {
        for (const row of chain) {
          try {
            await this.bus.publish(toBusEvent(row));
            published.add(row.id);
          } catch (error) {
            failure ??= { error };
            return;
          }
        }
      }),
    );
    return { published, failure };
  }
}

const DEFAULT_BATCH_SIZE = 2000;
const DEFAULT_LEASE_MS = 10_000;

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
