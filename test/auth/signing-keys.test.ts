import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import type { Client, Provider } from 'oidc-provider';
import { createAuthorizationServer, ensureSigningKeys, loadJwks, registerClient, rotateSigningKeys } from '../../src/auth/index.ts';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { KeySealer } from '../../src/platform/keystore/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';

const HOUR = 3600 * 1000;
const ISSUER = 'https://as.portico.test';

/** Signs an ID token the way the provider does for a token response; returns its JWS. */
async function signIdToken(provider: Provider, client: Client): Promise<string> {
  const token = new provider.IdToken({ sub: 'psu-1' }, { client });
  return token.issue({ use: 'idtoken' });
}

for (const dialect of DIALECTS) {
  describe(`authorisation server signing keys (${dialect})`, () => {
    let database: TestDatabase;
    const t0 = new Date('2026-04-01T09:00:00Z');

    before(async () => {
      database = await openTestDatabase(dialect);
    });
    after(async () => {
      await database?.close();
    });

    it('creates one PS256 (RSA 2048) and one ES256 key on first start, and only then — even when instances start together', async () => {
      const created = await Promise.all([ensureSigningKeys(database.db, { now: t0 }), ensureSigningKeys(database.db, { now: t0 })]);
      assert.equal(created.flat().length, 2, 'exactly one key per algorithm was created');
      assert.deepEqual(await ensureSigningKeys(database.db, { now: t0 }), []);

      const { keys } = await loadJwks(database.db, { now: t0 });
      assert.deepEqual(keys.map((key) => key.alg).sort(), ['ES256', 'PS256']);
      const rsa = keys.find((key) => key.alg === 'PS256')!;
      assert.equal(rsa.kty, 'RSA');
      assert.equal(createPublicKey({ key: rsa, format: 'jwk' }).asymmetricKeyDetails?.modulusLength, 2048);
      const ec = keys.find((key) => key.alg === 'ES256')!;
      assert.equal(ec.crv, 'P-256');
      for (const key of keys) {
        assert.equal(key.use, 'sig');
        assert.ok(key.d, 'oidc-provider needs the private keys');
        assert.ok(key.kid);
      }
    });

    it('rotation keeps the old keys published, signs with the new ones, and drops the old ones after the grace period', async () => {
      const before = await loadJwks(database.db, { now: t0 });
      const oldPs256 = before.keys.find((key) => key.alg === 'PS256')!.kid!;
      const t1 = new Date(t0.getTime() + 24 * HOUR);
      const rotation = await rotateSigningKeys(database.db, { now: t1, keepRetiredForSeconds: 2 * 3600 });
      assert.equal(rotation.created.length, 2);
      assert.deepEqual([...rotation.retired].sort(), before.keys.map((key) => key.kid!).sort());
      assert.deepEqual(rotation.dropped, []);

      const during = await loadJwks(database.db, { now: t1 });
      assert.equal(during.keys.length, 4, 'new and retired keys are both in the JWKS');
      assert.deepEqual(during.keys.slice(0, 2).map((key) => key.kid).sort(), [...rotation.created].sort(), 'active keys come first');
      const newPs256 = during.keys.find((key) => key.alg === 'PS256')!.kid!;
      assert.notEqual(newPs256, oldPs256);

      // The provider signs with the first key of the algorithm: the new one.
      const provider = await createAuthorizationServer({ db: database.db, issuer: ISSUER, logger: silentLogger });
      await registerClient(provider, {
        client_id: `rp-${dialect}`,
        grant_types: ['client_credentials'],
        response_types: [],
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: 'CN=rp, O=Test TPP, C=GB',
      });
      const client = (await provider.Client.find(`rp-${dialect}`))!;
      const jws = await signIdToken(provider, client);
      assert.equal(decodeProtectedHeader(jws).kid, newPs256);
      assert.equal(decodeProtectedHeader(jws).alg, 'PS256');
      const publicJwk = during.keys.find((key) => key.kid === newPs256)!;
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicOnly } = publicJwk;
      await jwtVerify(jws, await importJWK(publicOnly as JWK, 'PS256'), { issuer: ISSUER, audience: `rp-${dialect}` });

      const afterGrace = await loadJwks(database.db, { now: new Date(t1.getTime() + 2 * HOUR + 1000) });
      assert.deepEqual(afterGrace.keys.map((key) => key.kid).sort(), [...rotation.created].sort(), 'retired keys leave the JWKS after the grace period');

      const t2 = new Date(t1.getTime() + 3 * HOUR);
      const next = await rotateSigningKeys(database.db, { now: t2, keepRetiredForSeconds: 3600 });
      assert.deepEqual([...next.dropped].sort(), [...rotation.retired].sort(), 'and are deleted at the next rotation');
      const rows = await database.db.selectFrom('auth_signing_keys').select(['kid', 'status']).execute();
      assert.equal(rows.length, 4);
      assert.equal(rows.filter((row) => row.status === 'active').length, 2);
    });
  });
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

  it('stores private keys sealed, opens them for the server, reseals keys written in the clear and under an older key-encryption key', async () => {
    // Keys written before the keystore sealed them: in the clear.
    await ensureSigningKeys(database.db);
    assert.ok((await stored()).every((row) => typeof row.private_jwk['d'] === 'string'), 'in the clear before');
    const plain = await loadJwks(database.db);
    const olderKey = randomBytes(32);
    const currentKey = randomBytes(32);
    const older = new KeySealer([olderKey]);
    await ensureSigningKeys(database.db, { sealer: older });
    for (const row of await stored()) {
      assert.equal(row.private_jwk['sealed'], 'A256GCM', `${row.kid} sealed`);
      assert.equal(row.private_jwk['d'], undefined);
      assert.doesNotMatch(JSON.stringify(row.private_jwk), new RegExp(String(plain.keys.find((k) => k.kid === row.kid)!.d)));
    }
    assert.deepEqual(await loadJwks(database.db, { sealer: older }), plain, 'the same keys, opened');
    await assert.rejects(loadJwks(database.db), /sealed and no key-encryption key is configured/);
    // A new key-encryption key first: the next start reseals under it; the old one may then go.
    const current = new KeySealer([currentKey, olderKey]);
    await ensureSigningKeys(database.db, { sealer: current });
    assert.ok((await stored()).every((row) => row.private_jwk['kek'] === current.currentKekId));
    const rotated = await rotateSigningKeys(database.db, { sealer: current, keepRetiredForSeconds: 60 });
    const onlyCurrent = new KeySealer([currentKey]);
    const keys = await loadJwks(database.db, { sealer: onlyCurrent });
    assert.ok(rotated.created.every((kid) => keys.keys.some((key) => key.kid === kid && typeof key.d === 'string')));
  });
});

