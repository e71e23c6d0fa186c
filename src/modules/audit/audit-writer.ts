import type { Logger } from 'pino';
import { chainBatch, partitionOf } from './audit-chain.ts';
import type { AuditEntry, CheckpointSigner } from './audit-record.ts';
import type { AuditRepository } from './audit.repository.port.ts';

/**
 * What happens to an API call's record when the buffer is full: `refuse` answers the call 503
 * before it runs (nothing is done that is not recorded), `drop` serves it and loses its record,
 * counted in /metrics.
 */
export type AuditOverflow = 'refuse' | 'drop';

export interface AuditWriterSettings {
  /** Records held in memory waiting for the database, at most. */
  readonly maxBuffered: number;
  /** Records written (and checkpointed) per transaction, at most. */
  readonly batchSize: number;
  /** How often the buffer is written when it holds less than a batch. */
  readonly flushIntervalMs: number;
  readonly overflow: AuditOverflow;
}

/** Told of the writer's work, for /metrics. */
export interface AuditWriterObserver {
  written(records: number, seconds: number): void;
  dropped(records: number): void;
  failed(): void;
}

interface Pending {
  readonly entry: AuditEntry;
  /** Settled when the record is committed: for producers that acknowledge only what is recorded. */
  readonly settle?: { resolve(): void; reject(error: unknown): void };
}

const MAX_BACKOFF_MS = 5000;

/**
 * The audit trail's ingest: records are taken in memory without waiting (an API call is not slowed
 * by the database) and written in batches, each batch chained onto its partition and checkpointed
 * in one transaction. While the database is slow or down the buffer holds up to `maxBuffered`
 * records and retries with backoff; beyond that the overflow policy applies. Durable records
 * (`recordDurably`, from the event consumers) are always taken: their producer waits for the
 * commit and redelivers on failure, so they are never lost.
 */
export class AuditWriter {
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private started = false;
  private stopped = false;

  constructor(
    private readonly repository: AuditRepository,
    private readonly signer: CheckpointSigner,
    private readonly settings: AuditWriterSettings,
    private readonly logger: Logger,
    private readonly observer?: AuditWriterObserver,
  ) {}

  /** Records waiting for the database. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Whether a new API call may be served under the overflow policy: false when it would be refused. */
  hasRoom(): boolean {
    // Refused a little before full, so that the calls already in progress still find room for their records.
    const headroom = Math.min(1000, Math.floor(this.settings.maxBuffered / 10));
    return this.settings.overflow === 'drop' || this.buffer.length < this.settings.maxBuffered - headroom;
  }

  /** Takes a record without waiting; false when the buffer is full and it was dropped (counted). */
  record(entry: AuditEntry): boolean {
    if (this.buffer.length >= this.settings.maxBuffered) {
      this.observer?.dropped(1);
      return false;
    }
    this.buffer.push({ entry });
    this.schedule();
    return true;
  }

  /** Takes records and resolves once they are committed; rejects if the trail stops first. */
  recordDurably(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error('the audit trail is stopped'));
    const committed = entries.map(
      (entry) =>
        new Promise<void>((resolve, reject) => {
          this.buffer.push({ entry, settle: { resolve, reject } });
        }),
    );
    // Their producer waits: written now, not at the next interval.
    this.schedule(true);
    return Promise.all(committed).then(() => undefined);
  }

  /** Writes everything buffered now; resolves when the buffer is empty or a write failed. */
  async flush(): Promise<void> {
    while (this.buffer.length > 0) {
      if (!(await this.flushOnce())) return;
    }
  }

  /** Starts the periodic writes (until then, records are written only by `flush`). */
  start(): void {
    this.started = true;
    this.stopped = false;
    this.schedule();
  }

  /** Writes what is buffered (for at most `deadlineMs`), then stops; durable records left are rejected so their producers redeliver. */
  async stop(deadlineMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const until = Date.now() + deadlineMs;
    while (this.buffer.length > 0 && Date.now() < until) {
      if (!(await this.flushOnce())) await new Promise((resolve) => setTimeout(resolve, Math.min(500, Math.max(0, until - Date.now()))));
    }
    if (this.buffer.length > 0) {
      this.logger.error({ records: this.buffer.length }, 'audit records not written before shutdown');
      this.observer?.dropped(this.buffer.filter((pending) => !pending.settle).length);
      for (const pending of this.buffer) pending.settle?.reject(new Error('the audit trail stopped before the record was written'));
      this.buffer = [];
    }
  }

  private schedule(now = false): void {
    if (!this.started || this.stopped || this.flushing) return;
    if (this.timer && !(now && this.failures === 0)) return;
    if (this.timer) clearTimeout(this.timer);
    const full = (now || this.buffer.length >= this.settings.batchSize) && this.failures === 0;
    const delay = this.failures > 0 ? Math.min(MAX_BACKOFF_MS, this.settings.flushIntervalMs * 2 ** this.failures) : full ? 0 : this.settings.flushIntervalMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flushOnce().finally(() => {
        if (this.buffer.length > 0) this.schedule();
      });
    }, delay);
    this.timer.unref();
  }

  /** Writes one batch; true when all of it was written. */
  private flushOnce(): Promise<boolean> {
    if (this.flushing) return this.flushing.then(() => true);
    const batch = this.buffer.slice(0, this.settings.batchSize);
    if (batch.length === 0) return Promise.resolve(true);
    const started = process.hrtime.bigint();
    const committed = new Set<Pending>();
    const run = this.write(batch, committed).then(
      () => {
        this.failures = 0;
        return true;
      },
      (error: unknown) => {
        this.failures += 1;
        this.observer?.failed();
        if (this.failures === 1 || this.failures % 20 === 0) this.logger.warn({ err: error, buffered: this.buffer.length, attempts: this.failures }, 'could not write audit records: holding them and retrying');
        return false;
      },
    );
    this.flushing = run.then(() => undefined);
    return run.finally(() => {
      // Taken off only once committed: what a failed write left stays first in line. The batch is
      // the front of the buffer (records are only added at the back), so only it is looked through.
      if (committed.size > 0) {
        const left = committed.size === batch.length ? [] : batch.filter((pending) => !committed.has(pending));
        this.buffer.splice(0, batch.length, ...left);
        this.observer?.written(committed.size, Number(process.hrtime.bigint() - started) / 1e9);
        for (const pending of committed) pending.settle?.resolve();
      }
      this.flushing = undefined;
    });
  }

  /** One transaction per partition the batch touches (a batch crossing midnight touches two); each committed partition's records join `committed`. */
  private async write(batch: readonly Pending[], committed: Set<Pending>): Promise<void> {
    const byPartition = new Map<string, Pending[]>();
    for (const pending of batch) {
      const partition = partitionOf(pending.entry.at);
      const group = byPartition.get(partition) ?? [];
      group.push(pending);
      byPartition.set(partition, group);
    }
    for (const [partition, group] of byPartition) {
      await this.repository.append(partition, (head) => chainBatch(partition, head, group.map((pending) => pending.entry), (payload) => this.signer.sign(payload)));
      for (const pending of group) committed.add(pending);
    }
  }
}
