import { sql, type Kysely } from 'kysely';

/**
 * The expiry warnings already given for each certificate the sandbox QTSP issued: the smallest
 * threshold (30, 7 or 1 days) warned of, so each is given once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE directory_certificates ADD COLUMN expiry_warned_days integer`.execute(db);
  await sql`CREATE INDEX directory_certificates_not_after ON directory_certificates (not_after) WHERE revoked_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX directory_certificates_not_after`.execute(db);
  await sql`ALTER TABLE directory_certificates DROP COLUMN expiry_warned_days`.execute(db);
}
