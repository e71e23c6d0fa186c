import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ownTables, type Db } from '../platform/db/index.ts';
import type { AuthTables } from './infra/auth.tables.ts';

/**
 * Keys that sign the authorisation server's interaction and session cookies. Every instance must
 * use the same ones (a PSU's next request may reach another instance), so they live in the
 * database; the first start creates one. Newest first: oidc-provider signs with the first and
 * accepts all.
 */
export async function loadCookieKeys(database: Db): Promise<string[]> {
  const db = ownTables<AuthTables>(database);
  await db.transaction().execute(async (trx) => {
    // Serialises concurrent first starts so only one key is created.
    await sql`LOCK TABLE auth_cookie_keys IN EXCLUSIVE MODE`.execute(trx);
    const existing = await trx.selectFrom('auth_cookie_keys').select('id').limit(1).executeTakeFirst();
    if (!existing) await trx.insertInto('auth_cookie_keys').values({ key: randomBytes(32).toString('base64url') }).execute();
  });
  const rows = await db.selectFrom('auth_cookie_keys').select('key').orderBy('id', 'desc').execute();
  return rows.map((row) => row.key);
}
