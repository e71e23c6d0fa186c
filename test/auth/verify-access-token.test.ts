import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AdapterPayload } from 'oidc-provider';
import { OidcAdapter, createAccessTokenVerifier, type AccessTokenVerifier } from '../../src/auth/index.ts';
import { MemoryCache, RedisCache, type Cache } from '../../src/platform/cache/index.ts';
import { DIALECTS, TEST_REDIS_URL, openTestDatabase, type TestDatabase } from '../support/backends.ts';

const newToken = () => randomBytes(32).toString('base64url');
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

for (const dialect of DIALECTS) {
  describe(`resource-side access-token verification (${dialect})`, () => {
    let database: TestDatabase;
    let clock = new Date('2026-03-01T10:00:00Z');
    const now = () => clock;
    const advance = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));
    let cache: MemoryCache;
    let verifier: AccessTokenVerifier;
    const adapter = (kind: string, onInvalidated?: AccessTokenVerifier['invalidate']) => new OidcAdapter(database.db, kind, { now, ...(onInvalidated ? { onInvalidated } : {}) });

    /** Stores a token the way oidc-provider does (payload fields of its AccessToken / ClientCredentials models). */
    async function issue(kind: 'ClientCredentials' | 'AccessToken', overrides: Record<string, unknown> = {}, lifetime = 300): Promise<string> {
      const jti = newToken();
      const payload: AdapterPayload = {
        iat: epoch(clock),
        exp: epoch(clock) + lifetime,
        jti,
        kind,
        clientId: 'client-a',
        scope: 'accounts',
        'x5t#S256': 'thumbprint-of-a',
        ...(kind === 'AccessToken' ? { grantId: 'grant-1', accountId: 'psu-1', gty: 'authorization_code', extra: { openbanking_intent_id: 'aac-1' } } : { extra: {} }),
        ...overrides,
      } as AdapterPayload;
      await adapter(kind).upsert(jti, payload, lifetime);
      return jti;
    }

    before(async () => {
      database = await openTestDatabase(dialect);
      await adapter('Client').upsert('client-a', { client_id: 'client-a' });
      await adapter('Client').upsert('client-b', { client_id: 'client-b' });
      cache = new MemoryCache(() => clock.getTime());
      verifier = createAccessTokenVerifier({ db: database.db, cache, now });
    });
    after(async () => {
      await database?.close();
    });

    it('verifies a client-credentials token from storage', async () => {
      const value = await issue('ClientCredentials', { scope: 'accounts payments' });
      const verified = await verifier.verify(value);
      assert.ok(verified);
      assert.equal(verified.kind, 'client_credentials');
      assert.equal(verified.clientId, 'client-a');
      assert.deepEqual([...verified.scopes].sort(), ['accounts', 'payments']);
      assert.equal(verified.certificateThumbprint, 'thumbprint-of-a');
      assert.equal(verified.consentId, undefined);
      assert.equal(verified.psuId, undefined);
      assert.equal(verified.expiresAt.getTime(), clock.getTime() + 300_000);
      assert.match(verified.tokenId, /^[A-Za-z0-9_-]{43}$/);
      assert.notEqual(verified.tokenId, value, 'the reference is not the bearer secret');
    });

    it('verifies an authorization-code token with its consent, PSU and grant', async () => {
      const verified = await verifier.verify(await issue('AccessToken'));
      assert.ok(verified);
      assert.equal(verified.kind, 'authorization_code');
      assert.equal(verified.consentId, 'aac-1');
      assert.equal(verified.psuId, 'psu-1');
      assert.equal(verified.grantId, 'grant-1');
    });

    it('refuses unknown, malformed, unbound and session-bound tokens, and other model kinds', async () => {
      assert.equal(await verifier.verify(newToken()), undefined);
      assert.equal(await verifier.verify('short'), undefined);
      assert.equal(await verifier.verify(`${newToken()} ${newToken()}`), undefined);
      assert.equal(await verifier.verify(await issue('ClientCredentials', { 'x5t#S256': undefined })), undefined, 'a token without cnf is a plain bearer token');
      assert.equal(await verifier.verify(await issue('AccessToken', { expiresWithSession: true })), undefined);
      const refresh = newToken();
      await adapter('RefreshToken').upsert(refresh, { jti: refresh, kind: 'RefreshToken', clientId: 'client-a', 'x5t#S256': 'thumbprint-of-a', exp: epoch(clock) + 300 } as AdapterPayload, 300);
      assert.equal(await verifier.verify(refresh), undefined, 'a refresh token is not an access token');
    });

    it('refuses an expired token, even one verified (and cached) before it expired (attack: expired token)', async () => {
      const value = await issue('ClientCredentials', {}, 20);
      assert.ok(await verifier.verify(value));
      advance(21);
      assert.equal(await verifier.verify(value), undefined);
      const fresh = await issue('ClientCredentials', {}, 20);
      advance(21);
      assert.equal(await verifier.verify(fresh), undefined, 'expired in storage');
    });

    it('refuses a consumed token', async () => {
      const value = await issue('AccessToken');
      await adapter('AccessToken').consume(value);
      assert.equal(await verifier.verify(value), undefined);
    });

    it('reuses a verification for at most 30 seconds', async () => {
      const value = await issue('ClientCredentials');
      assert.ok(await verifier.verify(value));
      // Deleted behind the adapter's back (no invalidation): only the cache still knows it.
      await database.db.deleteFrom('oidc_payloads').where('id', '=', value).execute();
      advance(29);
      assert.ok(await verifier.verify(value), 'served from the cache within its lifetime');
      advance(2);
      assert.equal(await verifier.verify(value), undefined, 'read from storage again after 30 s');
    });

    it('drops a destroyed token at once (attack: revoked token)', async () => {
      const value = await issue('ClientCredentials');
      assert.ok(await verifier.verify(value));
      await adapter('ClientCredentials', verifier.invalidate).destroy(value);
      assert.equal(await verifier.verify(value), undefined);
    });

    it("drops every access token of a revoked grant at once, and leaves other grants' tokens", async () => {
      const [first, second, other] = [await issue('AccessToken', { grantId: 'grant-r' }), await issue('AccessToken', { grantId: 'grant-r' }), await issue('AccessToken', { grantId: 'grant-s' })];
      for (const value of [first, second, other]) assert.ok(await verifier.verify(value));
      await adapter('AccessToken', verifier.invalidate).revokeByGrantId('grant-r');
      assert.equal(await verifier.verify(first), undefined);
      assert.equal(await verifier.verify(second), undefined);
      assert.ok(await verifier.verify(other));
    });

    it('drops the tokens of a deleted client at once', async () => {
      await adapter('Client').upsert('client-gone', { client_id: 'client-gone' });
      const value = await issue('ClientCredentials', { clientId: 'client-gone' });
      const unseen = await issue('ClientCredentials', { clientId: 'client-gone' });
      assert.ok(await verifier.verify(value));
      await adapter('Client', verifier.invalidate).destroy('client-gone');
      assert.equal(await verifier.verify(value), undefined, 'cached token dropped');
      assert.equal(await verifier.verify(unseen), undefined, 'uncached token: its client is gone');
    });

    it('holds a token in the cache when it is stored, so its first use reads no database', async () => {
      const jti = newToken();
      const payload = { iat: epoch(clock), exp: epoch(clock) + 300, jti, kind: 'ClientCredentials', clientId: 'client-a', scope: 'payments', 'x5t#S256': 'thumbprint-of-a', extra: {} } as AdapterPayload;
      await new OidcAdapter(database.db, 'ClientCredentials', { now, onSaved: (kind, id, saved, expiresAt) => verifier.remember(kind, id, saved, expiresAt) }).upsert(jti, payload, 300);
      // A verifier on the same cache whose database refuses every read.
      const unreadable = database.db.withPlugin({
        transformQuery: () => {
          throw new Error('the database was read');
        },
        transformResult: async ({ result }) => result,
      });
      const cacheOnly = createAccessTokenVerifier({ db: unreadable, cache, now });
      const verified = await cacheOnly.verify(jti);
      assert.equal(verified?.clientId, 'client-a');
      assert.deepEqual([...verified!.scopes], ['payments']);
      // Unbound, consumed or other kinds are not held: their first use reads (and refuses) as before.
      const unbound = newToken();
      await verifier.remember('ClientCredentials', unbound, { ...payload, jti: unbound, 'x5t#S256': undefined }, new Date(clock.getTime() + 300_000));
      await assert.rejects(cacheOnly.verify(unbound), /the database was read/);
      const otherKind = newToken();
      await verifier.remember('Grant', otherKind, { ...payload, jti: otherKind }, new Date(clock.getTime() + 300_000));
      await assert.rejects(cacheOnly.verify(otherKind), /the database was read/);
    });

    it('a token stored again after its revocation is not held over its tombstone (attack: revoked token saved again)', async () => {
      const value = await issue('ClientCredentials');
      const stored = (await adapter('ClientCredentials').find(value))!;
      assert.ok(await verifier.verify(value));
      await adapter('ClientCredentials', verifier.invalidate).destroy(value);
      await verifier.remember('ClientCredentials', value, stored, new Date(clock.getTime() + 300_000));
      assert.equal(await verifier.verify(value), undefined);
    });

    it('a verification racing a revocation cannot put the revoked token back into the cache', async () => {
      const value = await issue('ClientCredentials');
      const revoking = adapter('ClientCredentials', verifier.invalidate);
      // The revocation lands between the verifier's storage read and its cache write.
      const racing: Cache = Object.assign(Object.create(cache) as Cache, {
        setIfAbsent: async (key: string, entry: string, ttl: number) => {
          await revoking.destroy(value);
          return cache.setIfAbsent(key, entry, ttl);
        },
      });
      const racer = createAccessTokenVerifier({ db: database.db, cache: racing, now });
      assert.ok(await racer.verify(value), 'the in-flight request read it before the revocation');
      assert.equal(await verifier.verify(value), undefined, 'the next request sees the revocation');
    });
  });
}

describe('access-token revocation across instances sharing Redis', () => {
  let database: TestDatabase;
  const caches: RedisCache[] = [];

  before(async () => {
    database = await openTestDatabase('postgres');
  });
  after(async () => {
    for (const cache of caches) await cache.close();
    await database?.close();
  });

  it('a token revoked through one instance fails at once on another that had it cached', async () => {
    const keyPrefix = `portico-test-${randomBytes(4).toString('hex')}:`;
    const [cacheA, cacheB] = [new RedisCache(TEST_REDIS_URL, { keyPrefix }), new RedisCache(TEST_REDIS_URL, { keyPrefix })];
    caches.push(cacheA, cacheB);
    const instanceA = createAccessTokenVerifier({ db: database.db, cache: cacheA });
    const instanceB = createAccessTokenVerifier({ db: database.db, cache: cacheB });
    await new OidcAdapter(database.db, 'Client').upsert('client-a', { client_id: 'client-a' });
    const value = newToken();
    const exp = Math.floor(Date.now() / 1000) + 300;
    await new OidcAdapter(database.db, 'ClientCredentials').upsert(value, { jti: value, kind: 'ClientCredentials', clientId: 'client-a', scope: 'accounts', exp, 'x5t#S256': 'x' } as AdapterPayload, 300);

    assert.ok(await instanceB.verify(value), 'instance B verified and cached it');
    await new OidcAdapter(database.db, 'ClientCredentials', { onInvalidated: instanceA.invalidate }).destroy(value);
    assert.equal(await instanceB.verify(value), undefined);
  });
});
