import { sql } from 'kysely';
import { ownTables, type Db } from '../platform/db/index.ts';
import type { CreatedSigningKey, KeyManager } from '../platform/keystore/index.ts';
import type { AuthTables, SigningKeyAlg } from './infra/auth.tables.ts';
import { RETIRED_KEY_GRACE_SECONDS } from './token-lifetimes.ts';

/**
 * The algorithms the authorisation server signs with: FAPI 1.0 Adv §8.6 requires PS256 or ES256
 * (and advises against RSASSA-PKCS1-v1_5, i.e. RS256); the OB Security Profile expects PS256.
 */
export const SIGNING_ALGS: readonly SigningKeyAlg[] = ['PS256', 'ES256'];

/** The table the keys live in: what a sealed key is bound to (with its kid). */
export const SIGNING_KEY_OWNER = 'auth_signing_keys';

/**
 * How long a new key is published before it signs, by default: longer than instances take to
 * reload the keys (SIGNING_KEYS_REFRESH_SECONDS) plus the hour TPPs commonly cache a JWKS.
 */
export const DEFAULT_ACTIVATION_DELAY_SECONDS = 2 * 60 * 60;

export interface SigningKeyRotation {
  readonly created: string[];
  /** When the new keys start to sign; until then the old ones do. */
  readonly activatesAt: Date;
  readonly retired: string[];
  /** Retired keys whose grace period had ended: deleted, no longer published. */
  readonly dropped: string[];
}

interface NewKey extends CreatedSigningKey {
  readonly kid: string;
  readonly alg: SigningKeyAlg;
}

async function createKey(keys: KeyManager, alg: SigningKeyAlg): Promise<NewKey> {
  const created = await keys.createSigningKey(alg, SIGNING_KEY_OWNER);
  return { ...created, kid: String(created.publicJwk.kid), alg };
}

function rowFor(key: NewKey, now: Date, activatesAt: Date) {
  return {
    kid: key.kid,
    alg: key.alg,
    // Kept in the database (sealed, or a reference into the HSM or Vault) so every instance signs with the same keys.
    private_jwk: JSON.stringify(key.reference),
    public_jwk: JSON.stringify(key.publicJwk),
    status: 'active' as const,
    created_at: now,
    activates_at: activatesAt,
    retired_at: null,
    expires_at: null,
  };
}

/**
 * Creates a signing key for every algorithm that has no active one (first start), signing at once.
 * Safe when several instances start at once: the unique index on active keys lets exactly one
 * insert win. Returns the kids it created.
 */
export async function ensureSigningKeys(database: Db, options: { keys: KeyManager; now?: Date }): Promise<string[]> {
  const db = ownTables<AuthTables>(database);
  const now = options.now ?? new Date();
  const active = await db.selectFrom('auth_signing_keys').select('alg').where('status', '=', 'active').execute();
  const missing = SIGNING_ALGS.filter((alg) => !active.some((row) => row.alg === alg));
  const created: string[] = [];
  for (const alg of missing) {
    const key = await createKey(options.keys, alg);
    const result = await db
      .insertInto('auth_signing_keys')
      .values(rowFor(key, now, now))
      .onConflict((oc) => oc.column('alg').where('status', '=', 'active').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) created.push(key.kid);
  }
  await updateSigningKeyReferences(database, options.keys);
  return created;
}

/**
 * Stores again every key reference its manager would store differently — for the local keystore:
 * keys written in the clear before it sealed them, or sealed under an older key-encryption key.
 * Idempotent; how many were rewritten.
 */
export async function updateSigningKeyReferences(database: Db, keys: KeyManager): Promise<number> {
  if (!keys.updatedReference) return 0;
  const db = ownTables<AuthTables>(database);
  const rows = await db.selectFrom('auth_signing_keys').select(['kid', 'alg', 'private_jwk']).execute();
  let updated = 0;
  for (const row of rows) {
    if (!keys.owns(row.private_jwk)) continue;
    const reference = keys.updatedReference({ kid: row.kid, alg: row.alg, owner: SIGNING_KEY_OWNER, reference: row.private_jwk });
    if (reference === undefined) continue;
    await db.updateTable('auth_signing_keys').set({ private_jwk: JSON.stringify(reference) }).where('kid', '=', row.kid).execute();
    updated += 1;
  }
  return updated;
}

/**
 * Rotates the signing keys: a new key per algorithm, published at once and signing from
 * `activateAfterSeconds` on; the keys they replace sign until then and stay published for
 * `keepRetiredForSeconds` after, so that what they signed still verifies. Running instances pick
 * the new keys up when they next reload them (SigningKeyRing), without a restart.
 */
export async function rotateSigningKeys(
  database: Db,
  options: { keys: KeyManager; now?: Date; activateAfterSeconds?: number; keepRetiredForSeconds?: number },
): Promise<SigningKeyRotation> {
  const db = ownTables<AuthTables>(database);
  const now = options.now ?? new Date();
  const activatesAt = new Date(now.getTime() + (options.activateAfterSeconds ?? DEFAULT_ACTIVATION_DELAY_SECONDS) * 1000);
  const keepFor = options.keepRetiredForSeconds ?? RETIRED_KEY_GRACE_SECONDS;
  // Key generation (RSA, an HSM, Vault) takes a while; do it before the transaction so the lock is held briefly.
  const fresh = await Promise.all(SIGNING_ALGS.map((alg) => createKey(options.keys, alg)));
  return db.transaction().execute(async (trx) => {
    // Serialises concurrent rotations (two operators, two jobs): each sees the other's result.
    await sql`SELECT pg_advisory_xact_lock(hashtext('auth_signing_keys'))`.execute(trx);
    const dropped = await trx.deleteFrom('auth_signing_keys').where('status', '=', 'retired').where('expires_at', '<=', now).returning('kid').execute();
    const retired = await trx
      .updateTable('auth_signing_keys')
      .set({ status: 'retired', retired_at: activatesAt, expires_at: new Date(activatesAt.getTime() + keepFor * 1000) })
      .where('status', '=', 'active')
      .returning('kid')
      .execute();
    await trx
      .insertInto('auth_signing_keys')
      .values(fresh.map((key) => rowFor(key, now, activatesAt)))
      .execute();
    return { created: fresh.map((key) => key.kid), activatesAt, retired: retired.map((r) => r.kid), dropped: dropped.map((r) => r.kid) };
  });
}

/**
 * The public keys of every signing key the bank has had, retired or not, by kid: what verifies a
 * signature made long ago (the audit trail's checkpoints), which the published JWKS no longer holds.
 */
export async function signingPublicJwks(database: Db): Promise<Map<string, Record<string, unknown>>> {
  const rows = await ownTables<AuthTables>(database).selectFrom('auth_signing_keys').select(['kid', 'public_jwk']).execute();
  return new Map(rows.map((row) => [row.kid, row.public_jwk]));
}
