import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { EventsApi, PushObserver } from '../modules/events/index.ts';
import { registerBacklogGauges, scraped } from '../platform/metrics/index.ts';

/**
 * TPP notifications in Prometheus figures (docs/deployment.md). This process's pushes (`observer`):
 * delivered, failed attempts, dead-lettered, and the time from the change (its event's commit) to
 * the TPP's acceptance. Read at each scrape (`register`): the notifications waiting to be pushed or
 * polled and the oldest one's age, and the dead-letter queue's size, shared by every instance.
 */
export class NotificationMetrics {
  private readonly deliveredTotal = new Counter({ name: 'portico_event_notifications_delivered_total', help: 'Notifications this process pushed and their TPP accepted', registers: [] });
  private readonly failedTotal = new Counter({ name: 'portico_event_notification_push_failures_total', help: 'Push attempts of this process that failed (retried later, or dead-lettered)', registers: [] });
  private readonly deadTotal = new Counter({ name: 'portico_event_notifications_dead_lettered_total', help: 'Notifications this process moved to the dead-letter queue', registers: [] });
  private readonly lag = new Histogram({
    name: 'portico_event_notification_delivery_lag_seconds',
    help: 'Time from the change a notification tells of (its event committed) to its TPP accepting the push',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers: [],
  });

  readonly observer: PushObserver = {
    delivered: (occurredAt, at) => {
      this.deliveredTotal.inc(occurredAt.length);
      for (const occurred of occurredAt) this.lag.observe(Math.max(0, (at.getTime() - occurred.getTime()) / 1000));
    },
    failed: (count) => this.failedTotal.inc(count),
    deadLettered: (count) => this.deadTotal.inc(count),
  };

  register(registry: Registry, events: Pick<EventsApi, 'queueDepth'>): void {
    for (const metric of [this.deliveredTotal, this.failedTotal, this.deadTotal, this.lag]) registry.registerMetric(metric);
    let last: { readonly at: number; readonly depth: ReturnType<EventsApi['queueDepth']> } | undefined;
    const depth = () => {
      if (!last || Date.now() - last.at > 1000) last = { at: Date.now(), depth: events.queueDepth() };
      return last.depth;
    };
    registerBacklogGauges(
      registry,
      {
        waiting: { name: 'portico_event_notifications_waiting', help: 'Notifications raised for TPPs and not yet delivered, acknowledged or dead-lettered (all instances)' },
        age: { name: 'portico_event_notifications_oldest_waiting_age_seconds', help: 'Age of the oldest notification waiting for its TPP; 0 when none waits' },
      },
      async () => {
        const { pending, oldestPending } = await depth();
        return { waiting: pending, oldest: oldestPending };
      },
    );
    new Gauge({
      name: 'portico_event_notifications_dead_letters',
      help: 'Notifications in the dead-letter queue (portico events dlq list)',
      registers: [registry],
      async collect() {
        await scraped(this, async () => (await depth()).dead);
      },
    });
  }
}
