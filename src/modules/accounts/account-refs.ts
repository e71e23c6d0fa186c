import { randomBytes } from 'node:crypto';
import type { Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';

// Both directions are immutable once minted, so they are cached for long.
const REF_TTL_SECONDS = 24 * 60 * 60;
const byAccountKey = (accountId: string) => `accounts:ref:${accountId}`;
const byPublicKey = (publicId: string) => `accounts:ref-of:${publicId}`;
/** 160 random bits, base64url: 27 characters, within OB `AccountId` (max 40). */
const PUBLIC_ID = /^[A-Za-z0-9_-]{27}$/;

const mint = () => randomBytes(20).toString('base64url');

/**
 * The public AccountId of each account (OB v4.0 `AccountId`), minted on first exposure: random
 * (unguessable, says nothing about the account number) and stored (stable across consents).
 */
export async function publicAccountIds(db: Db, cache: Cache, accountIds: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const cached = await Promise.all(accountIds.map((id) => cache.get(byAccountKey(id))));
  const missing = accountIds.filter((id, i) => {
    const hit = cached[i];
    if (hit) result.set(id, hit);
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
      await cache.set(byAccountKey(row.account_id), row.public_id, REF_TTL_SECONDS);
      await cache.set(byPublicKey(row.public_id), row.account_id, REF_TTL_SECONDS);
    }
  }
  return result;
}

/** The account behind a public AccountId; undefined for anything never minted. */
export async function resolvePublicAccountId(db: Db, cache: Cache, publicId: string): Promise<string | undefined> {
  if (!PUBLIC_ID.test(publicId)) return undefined;
  const cached = await cache.get(byPublicKey(publicId));
  if (cached) return cached;
  const row = await db.selectFrom('ais_account_refs').select('account_id').where('public_id', '=', publicId).executeTakeFirst();
  if (row) await cache.set(byPublicKey(publicId), row.account_id, REF_TTL_SECONDS);
  return row?.account_id;
}
