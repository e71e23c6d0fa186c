import { hash } from 'node:crypto';
import { sql } from 'kysely';
import type { Cache } from '../platform/cache/index.ts';
import { boundedMemo } from '../platform/memo/index.ts';
import { ownTables, type Db } from '../platform/db/index.ts';
import type { AuthTables } from './infra/auth.tables.ts';

/** What a protected resource learns from a valid access token. */
export interface VerifiedAccessToken {
  /**
   * A stable, non-secret reference to the token for logs, audit and rate limits: base64url SHA-256
   * of the token value. (The opaque value is itself the stored id, i.e. a bearer secret.)
   */
  readonly tokenId: string;
  /** `client_credentials`: the TPP acting for itself; `authorization_code`: for a PSU (incl. refreshed). */
  readonly kind: 'client_credentials' | 'authorization_code';
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
  /** RFC 8705 §3.1 `cnf.x5t#S256`: the certificate the token is bound to. */
  readonly certificateThumbprint: string;
  /** The consent (OB intent) the PSU authorised: `extra.openbanking_intent_id` of the token. */
  readonly consentId: string | undefined;
  /** The PSU (oidc-provider `accountId`) of an authorization-code token. */
  readonly psuId: string | undefined;
  readonly grantId: string | undefined;
  readonly expiresAt: Date;
}

export interface AccessTokenVerifier {
  /** The token, when it is stored, unexpired, unconsumed, certificate-bound and its client exists. */
  verify(token: string): Promise<VerifiedAccessToken | undefined>;
  /**
   * Makes tokens removed from storage invalid at once on every instance: the `onInvalidated` hook
   * of the oidc-provider adapter (token destroyed or consumed, grant revoked, client deleted).
   */
  invalidate(kind: string, ids: readonly string[]): Promise<void>;
  /**
   * Holds a token just issued in the shared cache, so its first use needs no database read: the
   * `onSaved` hook of the oidc-provider adapter. Never overwrites a tombstone; a failure is ignored
   * (the first use then reads the database, as without it).
   */
  remember(kind: string, token: string, payload: unknown, expiresAt: Date | null): Promise<void>;
}

export interface AccessTokenVerifierOptions {
  readonly db: Db;
  /** Shared by every instance (Redis in production), so an invalidation applies everywhere. */
  readonly cache: Cache;
  readonly now?: () => Date;
  /** Longest time a verification is reused without reading the database (default 30 s, never past exp). */
  readonly cacheSeconds?: number;
}

/** oidc-provider model kinds that are access tokens (opaque, stored in `oidc_payloads`). */
const TOKEN_KINDS = { ClientCredentials: 'client_credentials', AccessToken: 'authorization_code' } as const;
type TokenKind = keyof typeof TOKEN_KINDS;
const isTokenKind = (kind: string): kind is TokenKind => kind in TOKEN_KINDS;

const DEFAULT_CACHE_SECONDS = 30;
/**
 * A revoked token's tombstone outlives any verification that read the database just before the
 * revocation: such a verification may only add its cache entry where no key exists (SET NX), so it
 * cannot resurrect a revoked token for the cache lifetime.
 */
const TOMBSTONE_SECONDS = 120;
const TOMBSTONE = 'revoked';
/** Decoded cache entries kept per process (they are only an optimisation). */
const MAX_DECODED_ENTRIES = 10_000;
const KEY_PREFIX = 'auth:access-token:';

/** RFC 6750 §2.1 b64token, bounded: anything else is not a token this server issued. */
const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/]{16,512}=*$/;

interface StoredPayload {
  clientId?: unknown;
  scope?: unknown;
  exp?: unknown;
  'x5t#S256'?: unknown;
  extra?: { openbanking_intent_id?: unknown } | null;
  grantId?: unknown;
  accountId?: unknown;
  consumed?: unknown;
  expiresWithSession?: unknown;
}

interface CachedToken {
  kind: VerifiedAccessToken['kind'];
  clientId: string;
  scopes: string[];
  certificateThumbprint: string;
  consentId?: string;
  psuId?: string;
  grantId?: string;
  expiresAt: string;
}

const digest = (token: string) => hash('sha256', token, 'base64url');
const optionalString = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function fromCached(tokenId: string, cached: CachedToken): VerifiedAccessToken {
  return {
    tokenId,
    kind: cached.kind,
    clientId: cached.clientId,
    scopes: new Set(cached.scopes),
    certificateThumbprint: cached.certificateThumbprint,
    consentId: cached.consentId,
    psuId: cached.psuId,
    grantId: cached.grantId,
    expiresAt: new Date(cached.expiresAt),
  };
}

/**
 * Verifies the opaque access tokens of the authorisation server on the resource side, without a
 * network hop: the token is looked up where oidc-provider stores it (`oidc_payloads`), with a
 * short-lived entry in the shared cache in front. An entry lives at most `cacheSeconds` and never
 * past the token's expiry; revocation replaces it with a tombstone through `invalidate`, so a revoked
 * token fails on its next use at every instance (docs/authorization-server.md, "Resource side").
 *
 * Cache failures never make a token valid: reads fall back to the database, and an invalidation that
 * cannot reach the cache throws, so the revocation reports an error instead of silently lagging.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const { cache } = options;
  const db = ownTables<AuthTables>(options.db);
  const now = options.now ?? (() => new Date());
  const cacheSeconds = options.cacheSeconds ?? DEFAULT_CACHE_SECONDS;

  /** The cache entry of a stored, usable token from its payload and row expiry; undefined when it grants nothing. */
  function cachedTokenOf(payload: StoredPayload, rowExpiresAt: Date | null, kind: TokenKind, at: Date): CachedToken | undefined {
    const clientId = optionalString(payload.clientId);
    const thumbprint = optionalString(payload['x5t#S256']);
    if (!clientId || payload.consumed) return undefined;
    // FAPI 1.0 Adv §6.2.1-1 / RFC 8705 §3: the OB APIs accept sender-constrained tokens only.
    if (!thumbprint) return undefined;
    // Portico never issues session-bound tokens (expiresWithSession is off). One would need
    // oidc-provider's session check (checkSessionBinding); refuse it rather than half-check it.
    if (payload.expiresWithSession === true) return undefined;
    const expiries = [rowExpiresAt?.getTime(), typeof payload.exp === 'number' ? payload.exp * 1000 : undefined].filter(
      (value): value is number => value !== undefined,
    );
    if (expiries.length === 0) return undefined;
    const expiresAt = Math.min(...expiries);
    if (expiresAt <= at.getTime()) return undefined;
    const consentId = optionalString(payload.extra?.openbanking_intent_id);
    const psuId = optionalString(payload.accountId);
    const grantId = optionalString(payload.grantId);
    return {
      kind: TOKEN_KINDS[kind],
      clientId,
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      certificateThumbprint: thumbprint,
      ...(consentId ? { consentId } : {}),
      ...(psuId ? { psuId } : {}),
      ...(grantId ? { grantId } : {}),
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** Keeps a verification for at most `cacheSeconds`, never past the token's expiry; NX, so never over a tombstone. */
  async function keep(key: string, found: CachedToken): Promise<void> {
    const ttl = Math.min(cacheSeconds, Math.floor((Date.parse(found.expiresAt) - now().getTime()) / 1000));
    if (ttl >= 1) await cache.setIfAbsent(key, JSON.stringify(found), ttl).catch(() => false);
  }

  async function lookUp(token: string): Promise<CachedToken | undefined> {
    const at = now();
    const row = await db
      .selectFrom('oidc_payloads as t')
      // A deleted client (DCR DELETE) takes its tokens with it.
      .leftJoin('oidc_payloads as c', (join) => join.on('c.kind', '=', 'Client').on('c.id', '=', sql<string>`t.payload->>'clientId'`))
      .select(['t.kind', 't.payload', 't.expires_at', 't.consumed_at', 'c.id as client_row'])
      .where('t.kind', 'in', Object.keys(TOKEN_KINDS))
      .where('t.id', '=', token)
      .executeTakeFirst();
    if (!row || !isTokenKind(row.kind) || row.consumed_at !== null || row.client_row === null) return undefined;
    const found = cachedTokenOf(row.payload as StoredPayload, row.expires_at, row.kind, at);
    // A token names its client; a client deleted since (no row) takes its tokens with it.
    return found && found.clientId === row.client_row ? found : undefined;
  }

  /**
   * The cache entry decoded, reused while the shared cache answers with the very same entry: what
   * decides validity is still the shared cache's answer on every call, never this memo.
   */
  const decodedEntries = boundedMemo<string, { entry: string; verified: VerifiedAccessToken }>(MAX_DECODED_ENTRIES);
  function decoded(tokenId: string, entry: string): VerifiedAccessToken {
    const known = decodedEntries.get(tokenId);
    if (known?.entry === entry) return known.verified;
    const verified = fromCached(tokenId, JSON.parse(entry) as CachedToken);
    decodedEntries.set(tokenId, { entry, verified });
    return verified;
  }

  async function tombstone(tokens: readonly string[]): Promise<void> {
    for (const token of tokens) await cache.set(`${KEY_PREFIX}${digest(token)}`, TOMBSTONE, TOMBSTONE_SECONDS);
  }

  return {
    async verify(token) {
      if (!TOKEN_SYNTAX.test(token)) return undefined;
      const tokenId = digest(token);
      const key = `${KEY_PREFIX}${tokenId}`;
      const cached = await cache.get(key).catch(() => null);
      if (cached === TOMBSTONE) return undefined;
      if (cached !== null) {
        const verified = decoded(tokenId, cached);
        return verified.expiresAt.getTime() > now().getTime() ? verified : undefined;
      }
      const found = await lookUp(token);
      if (!found) return undefined;
      // NX: never overwrite a tombstone written by a revocation that raced this lookup.
      await keep(key, found);
      return fromCached(tokenId, found);
    },

    async remember(kind, token, payload, expiresAt) {
      if (!isTokenKind(kind) || !TOKEN_SYNTAX.test(token)) return;
      const found = cachedTokenOf(payload as StoredPayload, expiresAt, kind, now());
      if (found) await keep(`${KEY_PREFIX}${digest(token)}`, found);
    },

    async invalidate(kind, ids) {
      if (ids.length === 0) return;
      if (isTokenKind(kind)) {
        await tombstone(ids);
      } else if (kind === 'Client') {
        const tokens = await db
          .selectFrom('oidc_payloads')
          .select('id')
          .where('kind', 'in', Object.keys(TOKEN_KINDS))
          .where(sql<string>`payload->>'clientId'`, 'in', [...ids])
          .execute();
        await tombstone(tokens.map((row) => row.id));
      }
    },
  };
}
