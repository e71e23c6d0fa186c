import { randomBytes } from 'node:crypto';
import type { Cache } from '../../platform/cache/index.ts';
import { boundedMemo, type BoundedMemo } from '../../platform/memo/index.ts';
import type { AccountRefsRepository } from './accounts.repository.port.ts';

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
/** Per repository: mappings belong to the storage that minted them. */
const rememberedByRepository = new WeakMap<AccountRefsRepository, Remembered>();
function rememberedIn(refs: AccountRefsRepository): Remembered {
  let remembered = rememberedByRepository.get(refs);
  if (!remembered) rememberedByRepository.set(refs, (remembered = { publicIdOf: boundedMemo(MAX_REMEMBERED), accountIdOf: boundedMemo(MAX_REMEMBERED) }));
  return remembered;
}
function remember(refs: AccountRefsRepository, accountId: string, publicId: string): void {
  const { publicIdOf, accountIdOf } = rememberedIn(refs);
  publicIdOf.set(accountId, publicId);
  accountIdOf.set(publicId, accountId);
}

/**
 * The public AccountId of each account (OB v4.0 `AccountId`), minted on first exposure: random
 * (unguessable, says nothing about the account number) and stored (stable across consents).
 */
export async function publicAccountIds(refs: AccountRefsRepository, cache: Cache, accountIds: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const unknown = accountIds.filter((id) => {
    const known = rememberedIn(refs).publicIdOf.get(id);
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
      remember(refs, id, hit);
    }
    return !hit;
  });
  if (missing.length > 0) {
    const stored = await refs.claimPublicIds(new Map(missing.map((accountId) => [accountId, mint()])));
    for (const [accountId, publicId] of stored) {
      result.set(accountId, publicId);
      remember(refs, accountId, publicId);
      await cache.set(byAccountKey(accountId), publicId, REF_TTL_SECONDS).catch(() => undefined);
      await cache.set(byPublicKey(publicId), accountId, REF_TTL_SECONDS).catch(() => undefined);
    }
  }
  return result;
}

/** The account behind a public AccountId; undefined for anything never minted. */
export async function resolvePublicAccountId(refs: AccountRefsRepository, cache: Cache, publicId: string): Promise<string | undefined> {
  if (!PUBLIC_ID.test(publicId)) return undefined;
  const known = rememberedIn(refs).accountIdOf.get(publicId);
  if (known) return known;
  const accountId =
    (await cache.get(byPublicKey(publicId)).catch(() => null)) ??
    (await refs.findAccountId(publicId));
  if (!accountId) return undefined;
  await cache.set(byPublicKey(publicId), accountId, REF_TTL_SECONDS).catch(() => undefined);
  remember(refs, accountId, publicId);
  return accountId;
}
