import { sql, type Kysely } from 'kysely';

/**
 * The trail in time order as an index (docs/audit.md): export and anomaly detection read a time
 * range a page at a time, after the last record read, by `(at, partition, seq)`. With only a BRIN
 * index on `at`, each page scanned and sorted the rest of the range (a minute of a large bank's
 * trail, several hundred pages, each rereading what follows it); the index reads a page and no
 * more, and serves every range read the BRIN index served. `IF NOT EXISTS`: on a large trail the
 * operator may build it beforehand with `CREATE INDEX CONCURRENTLY` under the same name, so that
 * the migration does not hold audit writes while it builds (docs/deployment.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS audit_records_time_order ON audit_records (at, partition, seq)`.execute(db);
  await sql`DROP INDEX IF EXISTS audit_records_at`.execute(db);
}
