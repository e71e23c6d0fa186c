import { sql, type Kysely } from 'kysely';

/**
 * The audit trail (docs/audit.md): append-only records, hash-chained per partition (a UTC day),
 * the signed checkpoints of each partition's chain, and the partitions themselves, so that a
 * partition expired by retention keeps its last checkpoint and a deleted one is noticed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_partitions (
      partition text PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      expired_at timestamptz
    )`.execute(db);
  // No foreign keys: a record is written in bulk, and its chain, not the schema, proves it.
  await sql`
    CREATE TABLE audit_records (
      partition text NOT NULL,
      seq bigint NOT NULL,
      at timestamptz NOT NULL,
      kind text NOT NULL,
      action text NOT NULL,
      outcome text NOT NULL,
      client_id text,
      organisation_id text,
      consent_id text,
      psu_id text,
      interaction_id text,
      details text NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (partition, seq)
    )`.execute(db);
  // Search by TPP, consent, PSU and interaction id; time ranges through a block range index,
  // cheap to keep up at the rate records arrive, since they arrive in time order.
  await sql`CREATE INDEX audit_records_client ON audit_records (client_id, at) WHERE client_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX audit_records_organisation ON audit_records (organisation_id, at) WHERE organisation_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX audit_records_consent ON audit_records (consent_id) WHERE consent_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX audit_records_psu ON audit_records (psu_id) WHERE psu_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX audit_records_interaction ON audit_records (interaction_id) WHERE interaction_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX audit_records_at ON audit_records USING brin (at)`.execute(db);
  await sql`
    CREATE TABLE audit_checkpoints (
      partition text NOT NULL,
      seq bigint NOT NULL,
      hash text NOT NULL,
      at timestamptz NOT NULL,
      jws text NOT NULL,
      PRIMARY KEY (partition, seq)
    )`.execute(db);
}
