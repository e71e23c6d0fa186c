import type { Gauge } from 'prom-client';

/**
 * Sets a scrape-time gauge from a read (of the database, usually); when the read fails, the gauge
 * is NaN (unknown) rather than failing /metrics, which must answer during the outage it helps to
 * diagnose.
 */
export async function scraped(gauge: Gauge, read: () => Promise<number>): Promise<void> {
  try {
    gauge.set(await read());
  } catch {
    gauge.set(Number.NaN);
  }
}
