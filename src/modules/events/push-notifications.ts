import type { Logger } from 'pino';
import type { DueNotification, EventsRepository, FailedPush } from './events.repository.port.ts';

/** What became of one push. A failure that is not retryable (the TPP refused the notification) goes to the dead-letter queue at once. */
export type PushOutcome = { readonly delivered: true } | { readonly delivered: false; readonly error: string; readonly retryable: boolean };

/** Pushes a notification to its TPP (the standard's facade: the OB facade posts a signed SET over mutual TLS). */
export interface NotificationSender {
  send(notification: DueNotification): Promise<PushOutcome>;
}

/** What the pusher reports (`EventsMetrics`). */
export interface PushObserver {
  delivered(occurredAt: readonly Date[], at: Date): void;
  failed(count: number): void;
  deadLettered(count: number): void;
}

export interface PushSettings {
  /** Pushes under way to one TPP at a time, from this process. */
  readonly concurrencyPerTpp: number;
  /** Pushes under way at a time, from this process. */
  readonly maxInFlight: number;
  /** Retry delays: `retryBaseMs` doubled per attempt up to `retryMaxMs`, each with jitter. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Consecutive failures of a TPP that open its circuit, and how long it stays open. */
  readonly breakerFailures: number;
  readonly breakerOpenMs: number;
  /** How often the queue is looked at when nothing woke the pusher. */
  readonly pollMs: number;
  /** How long a claimed notification is this process's before another may push it (a crash's bound). */
  readonly leaseMs: number;
}

export const DEFAULT_PUSH_SETTINGS: PushSettings = {
  concurrencyPerTpp: 8,
  maxInFlight: 256,
  retryBaseMs: 1000,
  retryMaxMs: 3_600_000,
  breakerFailures: 5,
  breakerOpenMs: 30_000,
  pollMs: 250,
  leaseMs: 60_000,
};

/** A TPP's circuit: closed, open until a time, or half-open (one probe at a time) after that. */
interface Circuit {
  failures: number;
  openUntil: number;
}

/** The delay before retry `attempt` (0 for the first retry): exponential, capped, with "equal jitter" (half fixed, half random). */
export function retryDelayMs(attempt: number, settings: Pick<PushSettings, 'retryBaseMs' | 'retryMaxMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Pushes notifications to the TPPs' callback URLs (worker processes): claims due ones in batches
 * (`claimDue`: a resource's one at a time, in order, leased so that a crash only delays them),
 * pushes each through the sender, and records the outcomes in a few statements. At most
 * `concurrencyPerTpp` pushes to one TPP and `maxInFlight` in all are under way, so a slow TPP holds
 * only its own slots; `breakerFailures` failures in a row open a TPP's circuit for
 * `breakerOpenMs` (its notifications wait, no attempts counted), then one probe decides. A failed
 * push is retried with exponential backoff and jitter until its `retryUntil`, then dead-lettered.
 */
export class NotificationPusher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly inFlight = new Map<string, number>();
  private total = 0;
  private readonly circuits = new Map<string, Circuit>();
  private delivered: DueNotification[] = [];
  private failures: FailedPush[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;

  constructor(
    private readonly repository: EventsRepository,
    private readonly sender: NotificationSender,
    private readonly logger: Logger,
    private readonly settings: PushSettings = DEFAULT_PUSH_SETTINGS,
    private readonly observer?: PushObserver,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Looks at the queue now (notifications were raised, or a push finished). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops claiming, lets the pushes under way finish and records them. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    while (this.total > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // A flush already under way holds outcomes of its own: stopped only once they are recorded too,
    // or the last pushes' statuses would be written after the pools close (and pushed again).
    await this.flushing;
    await this.flush();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.pass();
      } catch (error) {
        this.logger.warn({ err: error }, 'claiming notifications to push failed; trying again');
      }
      if (!this.running) break;
      // A full claim may have left more due: look again at once, unless every slot is taken.
      if (claimed === 0 || this.total >= this.settings.maxInFlight) await this.sleep(this.settings.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).then(() => {
      this.wakeUp = undefined;
    });
  }

  /** The TPPs this process must not push to now: their slots are full, or their circuit is open. */
  private skipped(now: number): string[] {
    const skip = new Set<string>();
    for (const [clientId, count] of this.inFlight) if (count >= this.limitOf(clientId, now)) skip.add(clientId);
    for (const [clientId, circuit] of this.circuits) if (circuit.openUntil > now) skip.add(clientId);
    return [...skip];
  }

  /** A TPP's slots: all of them with its circuit closed, one probe once it has been open. */
  private limitOf(clientId: string, now: number): number {
    const circuit = this.circuits.get(clientId);
    if (!circuit || circuit.failures < this.settings.breakerFailures) return this.settings.concurrencyPerTpp;
    return circuit.openUntil > now ? 0 : 1;
  }

  private async pass(): Promise<number> {
    const free = this.settings.maxInFlight - this.total;
    if (free <= 0) return 0;
    const now = this.clock();
    const claimed = await this.repository.claimDue(new Date(now), new Date(now + this.settings.leaseMs), free, this.skipped(now));
    const extra: string[] = [];
    for (const notification of claimed) {
      const count = this.inFlight.get(notification.clientId) ?? 0;
      if (count >= this.limitOf(notification.clientId, now)) {
        extra.push(notification.id);
        continue;
      }
      this.inFlight.set(notification.clientId, count + 1);
      this.total += 1;
      void this.push(notification);
    }
    // Claimed beyond a TPP's free slots: back to the queue, as due as they were.
    if (extra.length > 0) await this.repository.release(extra);
    return claimed.length - extra.length;
  }

  private async push(notification: DueNotification): Promise<void> {
    let outcome: PushOutcome;
    try {
      outcome = await this.sender.send(notification);
    } catch (error) {
      outcome = { delivered: false, error: error instanceof Error ? error.message : String(error), retryable: true };
    }
    const now = this.clock();
    this.settle(notification, outcome, now);
    const count = (this.inFlight.get(notification.clientId) ?? 1) - 1;
    if (count === 0) this.inFlight.delete(notification.clientId);
    else this.inFlight.set(notification.clientId, count);
    this.total -= 1;
    this.scheduleFlush();
    // Claim again once half the slots are free: one claim of many rather than many claims of one.
    if (this.total <= this.settings.maxInFlight / 2) this.wake();
  }

  private settle(notification: DueNotification, outcome: PushOutcome, now: number): void {
    if (outcome.delivered) {
      this.circuits.delete(notification.clientId);
      this.delivered.push(notification);
      return;
    }
    const circuit = this.circuits.get(notification.clientId) ?? { failures: 0, openUntil: 0 };
    circuit.failures += 1;
    if (circuit.failures >= this.settings.breakerFailures) {
      if (circuit.failures === this.settings.breakerFailures || circuit.openUntil <= now) {
        this.logger.warn({ clientId: notification.clientId, failures: circuit.failures, error: outcome.error }, "TPP's notification endpoint keeps failing: pausing its pushes");
      }
      circuit.openUntil = now + this.settings.breakerOpenMs;
    }
    this.circuits.set(notification.clientId, circuit);
    const retryAt = now + retryDelayMs(notification.attempts, this.settings);
    const gaveUp = !outcome.retryable || retryAt > notification.retryUntil.getTime();
    this.failures.push({ id: notification.id, error: outcome.error.slice(0, 500), retryAt: gaveUp ? null : new Date(retryAt) });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  /** Records the outcomes gathered since the last flush: one statement for the delivered, one for the failed. */
  private async flush(): Promise<void> {
    const delivered = this.delivered;
    const failures = this.failures;
    this.delivered = [];
    this.failures = [];
    if (delivered.length === 0 && failures.length === 0) return;
    try {
      await Promise.all([this.repository.recordDelivered(delivered.map((n) => n.id), new Date(this.clock())), this.repository.recordFailed(failures)]);
    } catch (error) {
      // Unrecorded, they stay leased and are pushed again when the lease ends: at least once.
      this.logger.error({ err: error, delivered: delivered.length, failed: failures.length }, 'recording push outcomes failed; the notifications will be pushed again');
      return;
    }
    if (delivered.length > 0) this.observer?.delivered(delivered.map((n) => n.occurredAt), new Date(this.clock()));
    const dead = failures.filter((f) => f.retryAt === null).length;
    if (failures.length > 0) this.observer?.failed(failures.length);
    if (dead > 0) {
      this.observer?.deadLettered(dead);
      this.logger.warn({ notifications: failures.filter((f) => f.retryAt === null).map((f) => f.id) }, 'notifications moved to the dead-letter queue (portico events dlq list)');
    }
  }
}
