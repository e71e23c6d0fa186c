import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import type { Client, Provider } from 'oidc-provider';
import { sql } from 'kysely';
import { createAuthorizationServer, ensureSigningKeys, registerClient, rotateSigningKeys, SigningKeyRing } from '../../src/auth/index.ts';
import { KeySealer, LocalKeyManager, signCompactJws } from '../../src/platform/keystore/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';

const HOUR = 3600 * 1000;
const ISSUER = 'https://as.portico.test';

/** Signs an ID token the way the provider does for a token response; returns its JWS. */
async function signIdToken(provider: Provider, client: Client): Promise<string> {
  const token = new provider.IdToken({ sub: 'psu-1' }, { client });
  return token.issue({ use: 'idtoken' });
}

const kidsOf = (jwks: { keys: JWK[] }) => jwks.keys.map((key) => key.kid!).sort();

for (const dialect of DIALECTS) {
  describe(`authorisation server signing keys (${dialect})`, () => {
    let database: TestDatabase;
    const keys = new LocalKeyManager(undefined);
    const t0 = new Date('2026-04-01T09:00:00Z');
    let clock = t0;
    const now = () => clock;

    before(async () => {
      database = await openTestDatabase(dialect);
    });
    after(async () => {
      await database?.close();
    });

    it('creates one PS256 (RSA 2048) and one ES256 key on first start, and only then — even when instances start together', async () => {
      const created = await Promise.all([ensureSigningKeys(database.db, { keys, now: t0 }), ensureSigningKeys(database.db, { keys, now: t0 })]);
      assert.equal(created.flat().length, 2, 'exactly one key per algorithm was created');
      assert.deepEqual(await ensureSigningKeys(database.db, { keys, now: t0 }), []);

      const ring = await SigningKeyRing.load(database.db, { managers: [keys], now });
      const published = ring.publicJwks().keys;
      assert.deepEqual(published.map((key) => key.alg).sort(), ['ES256', 'PS256']);
      const rsa = published.find((key) => key.alg === 'PS256')!;
      assert.equal(rsa.kty, 'RSA');
      assert.equal(createPublicKey({ key: rsa as import('node:crypto').JsonWebKey, format: 'jwk' }).asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(published.find((key) => key.alg === 'ES256')!.crv, 'P-256');
      for (const key of published) {
        assert.equal(key.use, 'sig');
        assert.equal(key.d, undefined, 'only public parts are published');
        assert.equal(key.kid, ring.signingKid(key.alg as 'PS256' | 'ES256'));
      }
    });

    it('rotation publishes the new keys at once, signs with them from their activation, and drops the old ones after the grace period', async () => {
      const ring = await SigningKeyRing.load(database.db, { managers: [keys], now });
      const old = { PS256: ring.signingKid('PS256'), ES256: ring.signingKid('ES256') };
      const t1 = new Date(t0.getTime() + 24 * HOUR);
      clock = t1;
      const rotation = await rotateSigningKeys(database.db, { keys, now: t1, activateAfterSeconds: 600, keepRetiredForSeconds: 2 * 3600 });
      assert.equal(rotation.created.length, 2);
      assert.equal(rotation.activatesAt.getTime(), t1.getTime() + 600_000);
      assert.deepEqual([...rotation.retired].sort(), Object.values(old).sort());
      assert.deepEqual(rotation.dropped, []);

      // Between the rotation and the activation: all four published, the old keys still sign.
      await ring.refresh();
      assert.deepEqual(kidsOf(ring.publicJwks()), [...rotation.created, ...rotation.retired].sort());
      assert.deepEqual(ring.publicJwks().keys.slice(0, 2).map((key) => key.kid).sort(), Object.values(old).sort(), 'the signing keys come first');
      assert.equal(ring.signingKid('PS256'), old.PS256);

      // The provider signs through the ring: with the old key now, the new one after activation, no restart.
      const provider = await createAuthorizationServer({ db: database.db, issuer: ISSUER, logger: silentLogger, signingKeys: ring });
      await registerClient(provider, {
        client_id: `rp-${dialect}`,
        grant_types: ['client_credentials'],
        response_types: [],
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: 'CN=rp, O=Test TPP, C=GB',
      });
      const client = (await provider.Client.find(`rp-${dialect}`))!;
      const before = await signIdToken(provider, client);
      assert.equal(decodeProtectedHeader(before).kid, old.PS256);
      clock = rotation.activatesAt;
      const after = await signIdToken(provider, client);
      const newPs256 = rotation.created.find((kid) => ring.publicJwks().keys.find((key) => key.kid === kid)?.alg === 'PS256')!;
      assert.equal(decodeProtectedHeader(after).kid, newPs256);
      assert.equal(decodeProtectedHeader(after).alg, 'PS256');
      // Both verify against what the JWKS publishes now (ID tokens live 10 minutes here, so no clock check).
      const jwks = createLocalJWKSet(ring.publicJwks());
      for (const jws of [before, after]) await jwtVerify(jws, jwks, { issuer: ISSUER, audience: `rp-${dialect}`, currentDate: new Date(Number(decodeJwtIat(jws)) * 1000) });

      clock = new Date(rotation.activatesAt.getTime() + 2 * HOUR + 1000);
      assert.deepEqual(kidsOf(ring.publicJwks()), [...rotation.created].sort(), 'retired keys leave the JWKS after the grace period');

      const t2 = clock;
      const next = await rotateSigningKeys(database.db, { keys, now: t2, activateAfterSeconds: 0, keepRetiredForSeconds: 3600 });
      assert.deepEqual([...next.dropped].sort(), [...rotation.retired].sort(), 'and are deleted at the next rotation');
      const rows = await database.db.selectFrom('auth_signing_keys').select(['kid', 'status']).execute();
      assert.equal(rows.length, 4);
      assert.equal(rows.filter((row) => row.status === 'active').length, 2);
    });

    it('signs its own JWS with the key its header names, whatever activates in between', async () => {
      const ring = await SigningKeyRing.load(database.db, { managers: [keys], now });
      const jws = await signCompactJws(ring, 'ES256', { typ: 'JOSE' }, Buffer.from('{"a":1}'));
      const { protectedHeader } = await compactVerify(jws, createLocalJWKSet(ring.publicJwks()));
      assert.equal(protectedHeader.kid, ring.signingKid('ES256'));
      await assert.rejects(ring.sign('no-such-kid', 'ES256', Buffer.from('x.y')), /not in the ring/);
    });
  });
}

function decodeJwtIat(jws: string): number {
  return (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { iat: number }).iat;
}

describe('signing keys sealed in the keystore (PostgreSQL)', () => {
  let database: TestDatabase;
  const stored = async () => (await sql<{ kid: string; private_jwk: Record<string, unknown> }>`SELECT kid, private_jwk FROM auth_signing_keys ORDER BY kid`.execute(database.db)).rows;

  before(async () => {
    database = await openTestDatabase('postgres');
  });
  after(async () => {
    await database?.close();
  });

  it('stores private keys sealed, signs with them, reseals keys written in the clear and under an older key-encryption key', async () => {
    // Keys written before the keystore sealed them: in the clear.
    await ensureSigningKeys(database.db, { keys: new LocalKeyManager(undefined) });
    const plain = await stored();
    assert.ok(plain.every((row) => typeof row.private_jwk['d'] === 'string'), 'in the clear before');
    const olderKey = randomBytes(32);
    const currentKey = randomBytes(32);
    const older = new LocalKeyManager(new KeySealer([olderKey]));
    await ensureSigningKeys(database.db, { keys: older });
    for (const row of await stored()) {
      assert.equal(row.private_jwk['sealed'], 'A256GCM', `${row.kid} sealed`);
      assert.equal(row.private_jwk['d'], undefined);
      assert.doesNotMatch(JSON.stringify(row.private_jwk), new RegExp(String(plain.find((p) => p.kid === row.kid)!.private_jwk['d'])));
    }
    const signsWith = async (manager: LocalKeyManager) => {
      const ring = await SigningKeyRing.load(database.db, { managers: [manager] });
      const jws = await signCompactJws(ring, 'PS256', {}, Buffer.from('payload'));
      await compactVerify(jws, createLocalJWKSet(ring.publicJwks()));
    };
    await signsWith(older);
    await assert.rejects(signsWith(new LocalKeyManager(undefined)), /sealed and no key-encryption key is configured/);
    // A sealed key copied to another row does not open: the row is its additional data.
    const [first, second] = await stored();
    await sql`UPDATE auth_signing_keys SET private_jwk = ${JSON.stringify(first!.private_jwk)}::jsonb WHERE kid = ${second!.kid}`.execute(database.db);
    await assert.rejects(older.sign({ kid: second!.kid, alg: 'PS256', owner: 'auth_signing_keys', reference: first!.private_jwk }, Buffer.from('x')));
    await sql`UPDATE auth_signing_keys SET private_jwk = ${JSON.stringify(second!.private_jwk)}::jsonb WHERE kid = ${second!.kid}`.execute(database.db);
    // A new key-encryption key first: the next start reseals under it; the old one may then go.
    const current = new KeySealer([currentKey, olderKey]);
    await ensureSigningKeys(database.db, { keys: new LocalKeyManager(current) });
    assert.ok((await stored()).every((row) => row.private_jwk['kek'] === current.currentKekId));
    await rotateSigningKeys(database.db, { keys: new LocalKeyManager(current), activateAfterSeconds: 0, keepRetiredForSeconds: 60 });
    await signsWith(new LocalKeyManager(new KeySealer([currentKey])));
  });
});
