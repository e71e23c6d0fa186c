import { randomBytes } from 'node:crypto';
import { boundedMemo, type BoundedMemo, type Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';

// Both directions are immutable once minted, so they are cached for long.
const REF_TTL_SECONDS = 24 * 60 * 60;
const byAccountKey = (accountId: string) => `accounts:ref:${accountId}`;
const byPublicKey = (publicId: string) => `accounts:ref-of:${publicId}`;
/** 160 random bits, base64url: 27 characters, within OB `AccountId` (max 40). */
const PUBLIC_ID = /^[A-Za-z0-9_-]{27}$/;

const mint = () => randomBytes(20).toString('base64url');

/**
 * A mapping never changes once minted, so each process also remembers the ones it has seen
 * (bounded): a hit saves a cache round trip on every account read, and can never be stale.
 */
const MAX_REMEMBERED = 50_000;
interface Remembered {
  readonly publicIdOf: BoundedMemo<string, string>;
  readonly accountIdOf: BoundedMemo<string, string>;
}
/** Per database: mappings belong to the database that minted them. */
const rememberedByDb = new WeakMap<Db, Remembered>();
function rememberedIn(db: Db): Remembered {
  let remembered = rememberedByDb.get(db);
  if (!remembered) rememberedByDb.set(db, (remembered = { publicIdOf: boundedMemo(MAX_REMEMBERED), accountIdOf: boundedMemo(MAX_REMEMBERED) }));
  return remembered;
}
function remember(db: Db, accountId: string, publicId: string): void {
  const { publicIdOf, accountIdOf } = rememberedIn(db);
  publicIdOf.set(accountId, publicId);
  accountIdOf.set(publicId, accountId);
}

/**
 * The public AccountId of each account (OB v4.0 `AccountId`), minted on first exposure: random
 * (unguessable, says nothing about the account number) and stored (stable across consents).
 */
export async function publicAccountIds(db: Db, cache: Cache, accountIds: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const unknown = accountIds.filter((id) => {
    const known = rememberedIn(db).publicIdOf.get(id);
    if (known) result.set(id, known);
    return !known;
  });
  if (unknown.length === 0) return result;
  // Without the shared cache the database answers: a mapping is immutable, so nothing can be stale.
  const cached = await Promise.all(unknown.map((id) => cache.get(byAccountKey(id)).catch(() => null)));
  const missing = unknown.filter((id, i) => {
    const hit = cached[i];
    if (hit) {
      result.set(id, hit);
      remember(db, id, hit);
    }
    return !hit;
  });
  if (missing.length > 0) {
    // Concurrent first exposures race on the primary key; the loser reads the winner's id.
    await db
      .insertInto('ais_account_refs')
      .values(missing.map((account_id) => ({ account_id, public_id: mint() })))
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    const rows = await db.selectFrom('ais_account_refs').select(['account_id', 'public_id']).where('account_id', 'in', missing).execute();
    for (const row of rows) {
      result.set(row.account_id, row.public_id);
      remember(db, row.account_id, row.public_id);
      await cache.set(byAccountKey(row.account_id), row.public_id, REF_TTL_SECONDS).catch(() => undefined);
      await cache.set(byPublicKey(row.public_id), row.account_id, REF_TTL_SECONDS).catch(() => undefined);
    }
  }
  return result;
}

/** The account behind a public AccountId; undefined for anything never minted. */
export async function resolvePublicAccountId(db: Db, cache: Cache, publicId: string): Promise<string | undefined> {
  if (!PUBLIC_ID.test(publicId)) return undefined;
  const known = rememberedIn(db).accountIdOf.get(publicId);
  if (known) return known;
  const accountId =
    (await cache.get(byPublicKey(publicId)).catch(() => null)) ??
    (await db.selectFrom('ais_account_refs').select('account_id').where('public_id', '=', publicId).executeTakeFirst())?.account_id;
  if (!accountId) return undefined;
  await cache.set(byPublicKey(publicId), accountId, REF_TTL_SECONDS).catch(() => undefined);
  remember(db, accountId, publicId);
  return accountId;
}
