import { sql, type Kysely } from 'kysely';

/**
 * The accounts module's read model of the core's accounts (docs/decisions/0004d): per account, what
 * account and balance reads answer (the account, its holders, its balances), as the codec of the
 * read cache encodes it. A refresh takes a ticket (`requested`) before it reads the core and
 * writes only over an older one (`written`), so of two refreshes racing the one that read later
 * wins. A row with no `projection` is a refresh under way: reads pass through to the core.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE account_read_model (
      account_id text PRIMARY KEY,
      requested bigint NOT NULL DEFAULT 0,
      written bigint NOT NULL DEFAULT 0,
      projection text,
      projected_at timestamptz
    )`.execute(db);
}
