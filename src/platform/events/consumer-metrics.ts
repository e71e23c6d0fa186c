import { Counter, Histogram, type Registry } from 'prom-client';
import type { DomainEvent } from './domain-event.ts';

/** What a consumer reports of each delivery: the events it handled, or that applying them failed (they come again). */
export interface ConsumerObserver {
  applied(consumer: string, events: readonly DomainEvent[], at: Date): void;
  failed(consumer: string): void;
}

/**
 * The event consumers of this process in Prometheus figures, by consumer name: events handled
 * (`portico_events_consumed_total`), deliveries whose apply failed and will come again
 * (`portico_events_consumer_failures_total`), and the time from an event's commit to its being
 * handled (`portico_events_consume_lag_seconds`): the outbox, the bus and the consumer together.
 */
export class ConsumerMetrics {
  private readonly consumed = new Counter({ name: 'portico_events_consumed_total', help: 'Events a consumer of this process handled', labelNames: ['consumer'], registers: [] });
  private readonly failures = new Counter({ name: 'portico_events_consumer_failures_total', help: 'Deliveries a consumer of this process failed to apply (redelivered)', labelNames: ['consumer'], registers: [] });
  private readonly lag = new Histogram({
    name: 'portico_events_consume_lag_seconds',
    help: "Time from an event's commit (occurred-at) to its being handled by a consumer",
    labelNames: ['consumer'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [],
  });

  readonly observer: ConsumerObserver = {
    applied: (consumer, events, at) => {
      this.consumed.inc({ consumer }, events.length);
      for (const event of events) this.lag.observe({ consumer }, Math.max(0, (at.getTime() - Date.parse(event.occurredAt)) / 1000));
    },
    failed: (consumer) => this.failures.inc({ consumer }),
  };

  register(registry: Registry): void {
    for (const metric of [this.consumed, this.failures, this.lag]) registry.registerMetric(metric);
  }
}
