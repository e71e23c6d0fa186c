import { sql, type Kysely } from 'kysely';

/**
 * Time-to-last-byte distributions per hour, endpoint and TPP: calls per fixed log-scale bucket
 * (latency-histogram.ts), one row per non-empty bucket. Every instance adds its counts by upsert,
 * as it does the hourly KPIs, so the distributions of all instances, hours, endpoints and TPPs add
 * up bucket by bucket and any of their percentiles is read from the sums.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE insights_latency_hourly (
      hour timestamptz NOT NULL,
      endpoint text NOT NULL,
      client_id text NOT NULL,
      bucket smallint NOT NULL CHECK (bucket BETWEEN 0 AND 159),
      calls bigint NOT NULL,
      PRIMARY KEY (hour, endpoint, client_id, bucket)
    )`.execute(db);
}
