import { Gauge, type Registry } from 'prom-client';
import { scraped } from './scraped-gauge.ts';

/** A backlog as read at a scrape: how many wait, and since when the oldest has. */
export interface Backlog {
  readonly waiting: number;
  readonly oldest: Date | null;
}

/**
 * Two scrape-time gauges of one backlog, from one read per scrape: how many wait
 * (`waiting.name`) and the age in seconds of the oldest (`age.name`; 0 when none waits).
 */
export function registerBacklogGauges(
  registry: Registry,
  gauges: { readonly waiting: { readonly name: string; readonly help: string }; readonly age: { readonly name: string; readonly help: string } },
  read: () => Promise<Backlog>,
): void {
  let last: { readonly at: number; readonly backlog: Promise<Backlog> } | undefined;
  const backlog = () => {
    if (!last || Date.now() - last.at > 1000) last = { at: Date.now(), backlog: read() };
    return last.backlog;
  };
  new Gauge({
    ...gauges.waiting,
    registers: [registry],
    async collect() {
      await scraped(this, async () => (await backlog()).waiting);
    },
  });
  new Gauge({
    ...gauges.age,
    registers: [registry],
    async collect() {
      await scraped(this, async () => {
        const { oldest } = await backlog();
        return oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0;
      });
    },
  });
}
