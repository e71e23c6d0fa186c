import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/platform/db/index.ts';

/**
 * A token that was never issued: the stored row of token `value` copied under a new token value,
 * its payload (and row expiry) changed by `change`, written straight into the authorisation
 * server's storage. Issuance holds a token in the shared cache as it is stored, so a change to an
 * issued token's row would not be seen on its first use; a forged copy has never been issued, so
 * the resource side reads it from storage, as it reads any token it has not seen.
 */
export async function forgeStoredToken(
  db: Db,
  value: string,
  change: (payload: Record<string, unknown>) => { payload: Record<string, unknown>; expiresAt?: Date },
): Promise<string> {
  const row = await db.selectFrom('oidc_payloads').selectAll().where('id', '=', value).executeTakeFirstOrThrow();
  const forged = randomBytes(32).toString('base64url');
  const { payload, expiresAt } = change({ ...(row.payload as Record<string, unknown>), jti: forged });
  await db
    .insertInto('oidc_payloads')
    .values({ ...row, id: forged, payload: JSON.stringify(payload), expires_at: expiresAt ?? row.expires_at })
    .execute();
  return forged;
}
