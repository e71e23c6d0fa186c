import { sql, type Kysely } from 'kysely';

/**
 * Idempotency keys of resource-creating POSTs (OB v4.0 OpenAPI `x-idempotency-key`: "Every request
 * will be processed only once per x-idempotency-key. The Idempotency Key will be valid for 24
 * hours."): one claim per client, operation and key, with the hash of the request it was first
 * used for and the resource that request created (src/modules/idempotency). The claim is written in
 * the transaction that creates the resource, so `resource_id` is null only while that transaction
 * is open; the primary key makes concurrent claims of one key wait for each other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      client_id text NOT NULL,
      operation text NOT NULL,
      idempotency_key text NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 40),
      request_hash text NOT NULL,
      resource_id text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (client_id, operation, idempotency_key),
      CHECK (expires_at > created_at)
    )`.execute(db);
  // What the cleanup deletes: keys past their 24 hours.
  await sql`CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`.execute(db);
}
