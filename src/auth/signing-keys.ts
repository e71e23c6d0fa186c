import { sql } from 'kysely';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { ownTables, type Db } from '../platform/db/index.ts';
import { isSealed, type KeySealer } from '../platform/keystore/index.ts';
import type { AuthTables, SigningKeyAlg } from './infra/auth.tables.ts';
import { RETIRED_KEY_GRACE_SECONDS } from './token-lifetimes.ts';

/**
 * The algorithms the authorisation server signs with: FAPI 1.0 Adv §8.6 requires PS256 or ES256
 * (and advises against RSASSA-PKCS1-v1_5, i.e. RS256); the OB Security Profile expects PS256.
 */
export const SIGNING_ALGS: readonly SigningKeyAlg[] = ['PS256', 'ES256'];

export interface PrivateJwks {
  readonly keys: JWK[];
}

export interface SigningKeyRotation {
  readonly created: string[];
  readonly retired: string[];
  /** Retired keys whose grace period had ended: deleted, no longer published. */
  readonly dropped: string[];
}

interface GeneratedKey {
  readonly kid: string;
  readonly alg: SigningKeyAlg;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

async function generateSigningKey(alg: SigningKeyAlg): Promise<GeneratedKey> {
  // RSA 2048 is the OB Security Profile's minimum for PS256; ES256 is P-256 by definition.
  const { privateKey, publicKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const metadata = { kid, alg, use: 'sig' };
  return { kid, alg, privateJwk: { ...(await exportJWK(privateKey)), ...metadata }, publicJwk: { ...publicJwk, ...metadata } };
}

/** What a key's sealed private JWK is bound to: its row. */
const sealingContext = (kid: string) => `auth_signing_keys:${kid}`;

/** The stored form of a private JWK: sealed under the key-encryption key when there is a sealer. */
const storedJwk = (kid: string, jwk: JWK, sealer: KeySealer | undefined) => JSON.stringify(sealer ? sealer.seal(JSON.stringify(jwk), sealingContext(kid)) : jwk);

function rowFor(key: GeneratedKey, now: Date, sealer: KeySealer | undefined) {
  return {
    kid: key.kid,
    alg: key.alg,
    // Kept in the database, sealed, so every instance signs with the same keys (the local keystore).
    private_jwk: storedJwk(key.kid, key.privateJwk, sealer),
    public_jwk: JSON.stringify(key.publicJwk),
    status: 'active' as const,
    created_at: now,
    retired_at: null,
    expires_at: null,
  };
}

/**
 * Creates a signing key for every algorithm that has no active one (first start). Safe when
 * several instances start at once: the unique index on active keys lets exactly one insert win.
 * Returns the kids it created.
 */
export async function ensureSigningKeys(database: Db, options: { now?: Date; sealer?: KeySealer | undefined } = {}): Promise<string[]> {
  const db = ownTables<AuthTables>(database);
  const now = options.now ?? new Date();
  const active = await db.selectFrom('auth_signing_keys').select('alg').where('status', '=', 'active').execute();
  const missing = SIGNING_ALGS.filter((alg) => !active.some((row) => row.alg === alg));
  const created: string[] = [];
  for (const alg of missing) {
    const key = await generateSigningKey(alg);
    const result = await db
      .insertInto('auth_signing_keys')
      .values(rowFor(key, now, options.sealer))
      .onConflict((oc) => oc.column('alg').where('status', '=', 'active').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) created.push(key.kid);
  }
  if (options.sealer) await resealSigningKeys(database, options.sealer);
  return created;
}

/**
 * Seals every private key stored in the clear (written before the keystore sealed them) or under
 * an older key-encryption key with the current one; how many. Idempotent: a sealed key is only
 * rewritten when its KEK is not the first.
 */
export async function resealSigningKeys(database: Db, sealer: KeySealer): Promise<number> {
  const db = ownTables<AuthTables>(database);
  const rows = await db.selectFrom('auth_signing_keys').select(['kid', 'private_jwk']).execute();
  let resealed = 0;
  for (const row of rows) {
    if (!sealer.needsResealing(row.private_jwk)) continue;
    const jwk = privateJwkOf(row.kid, row.private_jwk, sealer);
    await db.updateTable('auth_signing_keys').set({ private_jwk: storedJwk(row.kid, jwk, sealer) }).where('kid', '=', row.kid).execute();
    resealed += 1;
  }
  return resealed;
}

/** A stored private JWK in the clear: opened when sealed (which needs the sealer). */
function privateJwkOf(kid: string, stored: unknown, sealer: KeySealer | undefined): JWK {
  if (!isSealed(stored)) return stored as JWK;
  if (!sealer) throw new Error(`the signing key ${kid} is sealed and no key-encryption key is configured (KEY_ENCRYPTION_KEYS)`);
  return JSON.parse(sealer.open(stored, sealingContext(kid))) as JWK;
}

/**
 * Rotates the signing keys: a new active key per algorithm; the previous ones are retired but
 * stay in the JWKS for `keepRetiredForSeconds` so that tokens they signed still verify, then drop
 * out. Running instances keep their loaded keys until restarted (oidc-provider's JWKS is fixed at
 * construction); until then they still sign with a key that every JWKS publishes.
 */
export async function rotateSigningKeys(
  database: Db,
  options: { now?: Date; keepRetiredForSeconds?: number; sealer?: KeySealer | undefined } = {},
): Promise<SigningKeyRotation> {
  const db = ownTables<AuthTables>(database);
  const now = options.now ?? new Date();
  const keepFor = options.keepRetiredForSeconds ?? RETIRED_KEY_GRACE_SECONDS;
  // RSA key generation takes a while; do it before the transaction so the lock is held briefly.
  const fresh = await Promise.all(SIGNING_ALGS.map(generateSigningKey));
  return db.transaction().execute(async (trx) => {
    // Serialises concurrent rotations (two operators, two jobs): each sees the other's result.
    await sql`SELECT pg_advisory_xact_lock(hashtext('auth_signing_keys'))`.execute(trx);
    const dropped = await trx
      .deleteFrom('auth_signing_keys')
      .where('status', '=', 'retired')
      .where('expires_at', '<=', now)
      .returning('kid')
      .execute();
    const retired = await trx
      .updateTable('auth_signing_keys')
      .set({ status: 'retired', retired_at: now, expires_at: new Date(now.getTime() + keepFor * 1000) })
      .where('status', '=', 'active')
      .returning('kid')
      .execute();
    await trx
      .insertInto('auth_signing_keys')
      .values(fresh.map((key) => rowFor(key, now, options.sealer)))
      .execute();
    return { created: fresh.map((key) => key.kid), retired: retired.map((r) => r.kid), dropped: dropped.map((r) => r.kid) };
  });
}

/**
 * The private JWKS for oidc-provider: active keys first, because it signs with the first key of
 * the wanted algorithm, then retired keys still in their grace period, which it only publishes
 * (at /jwks) for verification.
 */
export async function loadJwks(database: Db, options: { now?: Date; sealer?: KeySealer | undefined } = {}): Promise<PrivateJwks> {
  const db = ownTables<AuthTables>(database);
  const now = options.now ?? new Date();
  const rows = await db
    .selectFrom('auth_signing_keys')
    .select(['kid', 'alg', 'status', 'private_jwk'])
    .where((eb) => eb.or([eb('status', '=', 'active'), eb('expires_at', '>', now)]))
    .orderBy(sql`CASE WHEN status = 'active' THEN 0 ELSE 1 END`)
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .execute();
  for (const alg of SIGNING_ALGS) {
    if (!rows.some((row) => row.alg === alg && row.status === 'active')) {
      throw new Error(`no active ${alg} signing key for the authorisation server (run ensureSigningKeys first)`);
    }
  }
  return { keys: rows.map((row) => privateJwkOf(row.kid, row.private_jwk, options.sealer)) };
}
