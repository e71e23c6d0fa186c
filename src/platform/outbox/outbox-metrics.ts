import { Counter, Histogram, type Registry } from 'prom-client';
import type { Db } from '../db/index.ts';
import { registerBacklogGauges } from '../metrics/index.ts';
import { unpublishedBacklog } from './relay-position.ts';

/** What a relay reports of its passes: events it published (with when each occurred), and failed publishes. */
export interface OutboxRelayObserver {
  published(occurredAt: readonly Date[], at: Date): void;
  failed(): void;
}

/**
 * The outbox in Prometheus figures. The relay's own (`observer`): events published and publish
 * failures since start, and the time from an event's commit to its publication
 * (`portico_outbox_publish_lag_seconds`). Read from the database at each scrape (`register`):
 * the events waiting to be published and the age of the oldest — the backlog every instance
 * shares, which grows when the bus or every relay is down.
 */
export class OutboxMetrics {
  private readonly publishedTotal = new Counter({ name: 'portico_outbox_published_events_total', help: 'Events this process published from the outbox to the bus', registers: [] });
  private readonly failuresTotal = new Counter({ name: 'portico_outbox_publish_failures_total', help: 'Publishes to the bus that failed in this process (the event stays queued)', registers: [] });
  private readonly lag = new Histogram({
    name: 'portico_outbox_publish_lag_seconds',
    help: "Time from an event's commit (occurred-at) to its publication on the bus",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [],
  });

  readonly observer: OutboxRelayObserver = {
    published: (occurredAt, at) => {
      this.publishedTotal.inc(occurredAt.length);
      for (const occurred of occurredAt) this.lag.observe(Math.max(0, (at.getTime() - occurred.getTime()) / 1000));
    },
    failed: () => this.failuresTotal.inc(),
  };

  /** Adds the figures to `registry`, the backlog read from `db` at each scrape. */
  register(registry: Registry, db: Db): void {
    for (const metric of [this.publishedTotal, this.failuresTotal, this.lag]) registry.registerMetric(metric);
    registerBacklogGauges(
      registry,
      {
        waiting: { name: 'portico_outbox_unpublished_events', help: 'Events committed and not yet published to the bus (all instances)' },
        age: { name: 'portico_outbox_oldest_unpublished_age_seconds', help: 'Age of the oldest event not yet published to the bus; 0 when none waits' },
      },
      () => unpublishedBacklog(db),
    );
  }
}
