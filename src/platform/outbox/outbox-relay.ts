import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import type { Bus, BusEvent } from '../bus/index.ts';

export interface OutboxRelayOptions {
  readonly pollMs: number;
  readonly batchSize?: number;
  /** Longest pause between attempts while the bus is failing. */
  readonly maxBackoffMs?: number;
}

/**
 * Moves committed outbox rows to the bus. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so any
 * number of processes can run a relay; a row is marked published only after the bus acknowledged
 * it. A crash between the two re-publishes the event with the same id, which the bus
 * de-duplicates: at-least-once, de-duplicated by event id.
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

  /** One pass: publishes up to a batch of pending events in commit order; returns how many. */
  async relayOnce(): Promise<number> {
    const { count, failure } = await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outbox_events')
        .select(['id', 'subject', 'payload', 'occurred_at'])
        .where('published_at', 'is', null)
        .orderBy('seq')
        .limit(this.options.batchSize ?? 100)
        .forUpdate()
        .skipLocked()
        .execute();
      const published: string[] = [];
      let failure: unknown;
      for (const row of rows) {
        const event: BusEvent = { id: row.id, subject: row.subject, occurredAt: row.occurred_at.toISOString(), payload: row.payload };
        try {
          await this.bus.publish(event);
          published.push(row.id);
        } catch (error) {
          failure = error;
          await trx
            .updateTable('outbox_events')
            .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String((error as Error)?.message ?? error).slice(0, 500) }))
            .where('id', '=', row.id)
            .execute();
          break;
        }
      }
      if (published.length > 0) {
        await trx.updateTable('outbox_events').set({ published_at: new Date() }).where('id', 'in', published).execute();
      }
      return { count: published.length, failure };
    });
    // Surfaced after commit so that the failed attempt stays recorded on the row.
    if (failure !== undefined && count === 0) throw failure;
    return count;
  }
}
