import { Gauge, type Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { registerBacklogGauges, scraped } from '../metrics/index.ts';

/**
 * The durable jobs in Prometheus figures, read from the database at each scrape (all instances
 * share them): jobs due and not yet claimed, how long the oldest of them has been due, and jobs
 * running. A due backlog that grows says the workers are too few, stopped or failing.
 */
export function registerJobMetrics(registry: Registry, db: Db): void {
  registerBacklogGauges(
    registry,
    {
      waiting: { name: 'portico_jobs_due', help: 'Durable jobs whose time has come and that no worker has claimed yet (all instances)' },
      age: { name: 'portico_jobs_oldest_due_age_seconds', help: 'How long the oldest unclaimed due job has been due; 0 when none is' },
    },
    async () => {
      const { rows } = await sql<{ due: string; oldest: Date | null }>`
        SELECT count(*) AS due, min(run_at) AS oldest FROM scheduled_jobs WHERE status = 'pending' AND run_at <= now()`.execute(db);
      return { waiting: Number(rows[0]!.due), oldest: rows[0]!.oldest };
    },
  );
  new Gauge({
    name: 'portico_jobs_running',
    help: 'Durable jobs claimed by a worker and not yet settled (all instances)',
    registers: [registry],
    async collect() {
      await scraped(this, async () => {
        const { rows } = await sql<{ running: string }>`SELECT count(*) AS running FROM scheduled_jobs WHERE status = 'running'`.execute(db);
        return Number(rows[0]!.running);
      });
    },
  });
}
