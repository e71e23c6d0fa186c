import { redeliveryDelayMs, type Bus, type BusEvent, type EventHandler, type SubscribeOptions, type Subscription } from './bus.port.ts';
import { subjectMatches } from './subject-matches.ts';

interface Consumer {
  readonly options: SubscribeOptions;
  readonly handler: EventHandler;
  readonly queue: BusEvent[];
  running: boolean;
  stopped: boolean;
  /** Failures in a row of the batch at the front. */
  failures: number;
}

const DEDUPLICATION_WINDOW = 10_000;

/**
 * In-process bus for the embedded single-process mode. Same contract as the NATS adapter:
 * publishes de-duplicated by id, delivery in order per consumer, a failing handler retried.
 */
export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly seen = new Set<string>();
  private readonly consumers = new Map<string, Consumer>();

  constructor(private readonly retryDelayMs = 200) {}

  async publish(event: BusEvent): Promise<void> {
    if (this.seen.has(event.id)) return;
    this.seen.add(event.id);
    if (this.seen.size > DEDUPLICATION_WINDOW) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    for (const consumer of this.consumers.values()) {
      if (!consumer.stopped && subjectMatches(consumer.options.subject, event.subject)) {
        consumer.queue.push(event);
        void this.drain(consumer);
      }
    }
  }

  async subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    if (this.consumers.has(options.durable)) throw new Error(`durable consumer ${options.durable} already subscribed in this process`);
    const consumer: Consumer = { options, handler, queue: [], running: false, stopped: false, failures: 0 };
    this.consumers.set(options.durable, consumer);
    return {
      stop: async () => {
        consumer.stopped = true;
        this.consumers.delete(options.durable);
      },
    };
  }

  private async drain(consumer: Consumer): Promise<void> {
    if (consumer.running) return;
    consumer.running = true;
    try {
      while (!consumer.stopped && consumer.queue.length > 0) {
        const batch = consumer.queue.slice(0, consumer.options.maxBatch ?? 1);
        try {
          await consumer.handler(batch);
          consumer.queue.splice(0, batch.length);
          consumer.failures = 0;
        } catch {
          consumer.failures += 1;
          await new Promise((resolve) => setTimeout(resolve, redeliveryDelayMs(consumer.failures, this.retryDelayMs)));
        }
      }
    } finally {
      consumer.running = false;
    }
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    for (const consumer of this.consumers.values()) consumer.stopped = true;
    this.consumers.clear();
  }
}
