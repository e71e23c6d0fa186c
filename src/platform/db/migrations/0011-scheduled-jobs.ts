import { sql, type Kysely } from 'kysely';

/**
 * Durable jobs (src/platform/scheduler): work that must happen at a date — a scheduled payment, a
 * standing-order instalment — whatever process is up then. `dedupe_key` is unique for ever, so one
 * instalment is scheduled, and run, once. A running job carries a lease (`locked_until`,
 * `locked_by`): when the worker holding it dies, another one takes the job over once the lease
 * has passed. `attempts` counts claims and doubles as the fencing token of the current one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE scheduled_jobs (
      id uuid PRIMARY KEY,
      kind text NOT NULL,
      dedupe_key text NOT NULL UNIQUE,
      run_at timestamptz NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts integer NOT NULL CHECK (max_attempts > 0),
      locked_until timestamptz,
      locked_by text,
      last_error text,
      created_at timestamptz NOT NULL,
      finished_at timestamptz,
      CHECK ((status = 'running') = (locked_until IS NOT NULL AND locked_by IS NOT NULL)),
      CHECK ((status IN ('done', 'failed')) = (finished_at IS NOT NULL))
    )`.execute(db);
  // What a worker's claim reads: due pending jobs, and running ones whose lease has passed.
  await sql`CREATE INDEX scheduled_jobs_due ON scheduled_jobs (run_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX scheduled_jobs_leases ON scheduled_jobs (locked_until) WHERE status = 'running'`.execute(db);
}
