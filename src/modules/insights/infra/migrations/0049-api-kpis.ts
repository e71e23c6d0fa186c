import { sql, type Kysely } from 'kysely';

/**
 * The insights module's tables: API call KPIs per hour, endpoint and TPP; calls per endpoint and
 * minute (whether it was down); the minutes each instance served; planned downtime. Every instance
 * adds its sums by upsert, so the figures of all instances add up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE insights_api_hourly (
      hour timestamptz NOT NULL,
      endpoint text NOT NULL,
      client_id text NOT NULL,
      standard text NOT NULL,
      service text NOT NULL,
      calls bigint NOT NULL,
      successes bigint NOT NULL,
      business_failures bigint NOT NULL,
      technical_failures bigint NOT NULL,
      rejections bigint NOT NULL,
      ttfb_ms_total bigint NOT NULL,
      ttlb_ms_total bigint NOT NULL,
      ttlb_ms_min bigint NOT NULL,
      ttlb_ms_max bigint NOT NULL,
      payload_bytes_total bigint NOT NULL,
      PRIMARY KEY (hour, endpoint, client_id)
    )`.execute(db);
  await sql`
    CREATE TABLE insights_endpoint_minutes (
      minute timestamptz NOT NULL,
      endpoint text NOT NULL,
      calls bigint NOT NULL,
      technical_failures bigint NOT NULL,
      PRIMARY KEY (minute, endpoint)
    )`.execute(db);
  await sql`
    CREATE TABLE insights_serving_minutes (
      minute timestamptz NOT NULL,
      instance_id text NOT NULL,
      PRIMARY KEY (minute, instance_id)
    )`.execute(db);
  await sql`
    CREATE TABLE insights_planned_downtime (
      id text PRIMARY KEY,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
      reason text NOT NULL,
      declared_at timestamptz NOT NULL
    )`.execute(db);
}
