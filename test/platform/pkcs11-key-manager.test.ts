import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, flattenedVerify, jwtVerify } from 'jose';
import { ensureSigningKeys, rotateSigningKeys, SigningKeyRing } from '../../src/auth/index.ts';
import { LocalKeyManager, Pkcs11KeyManager, signCompactJws, type JwsAlg, type JwsSigningKeys, type KeyManager } from '../../src/platform/keystore/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { softHsmToken, type SoftHsmToken } from '../support/softhsm.ts';
import { runPortico } from '../support/run-portico.ts';
import { OB_CRIT, pisPost, startPisFixture, type PisFixture } from '../support/pis-access.ts';

/** One key of each algorithm made by `manager`, as JWS signing keys. */
async function keysMadeBy(manager: KeyManager) {
  const made = await Promise.all((['PS256', 'ES256'] as const).map(async (alg) => ({ alg, ...(await manager.createSigningKey(alg, 'test_keys')) })));
  const signing: JwsSigningKeys = {
    signingKid: (alg) => String(made.find((key) => key.alg === alg)!.publicJwk.kid),
    sign: (kid, alg, input) => manager.sign({ kid, alg, owner: 'test_keys', reference: made.find((key) => key.publicJwk.kid === kid)!.reference }, input),
  };
  return { made, signing, jwks: { keys: made.map((key) => key.publicJwk) } };
}

describe('PKCS#11 key manager (SoftHSM2)', () => {
  let token: SoftHsmToken;
  let hsm: Pkcs11KeyManager;

  before(async () => {
    token = await softHsmToken();
    hsm = await Pkcs11KeyManager.open(token);
  });
  after(async () => {
    await hsm?.close();
    await token?.remove();
  });

  it('makes PS256 (RSA 2048) and ES256 keys on the token whose signatures verify with the public keys it answers', async () => {
    const { made, signing, jwks } = await keysMadeBy(hsm);
    for (const { alg, publicJwk, reference } of made) {
      assert.deepEqual(Object.keys(reference as object).sort(), ['id', 'type'], 'only a reference to the key is stored');
      assert.equal(publicJwk.d, undefined);
      assert.equal(publicJwk.alg, alg);
      for (let i = 0; i < 3; i += 1) {
        const jws = await signCompactJws(signing, alg as JwsAlg, { typ: 'JOSE' }, Buffer.from(`{"n":${i}}`));
        const { protectedHeader, payload } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: [alg] });
        assert.equal(protectedHeader.kid, publicJwk.kid);
        assert.equal(Buffer.from(payload).toString(), `{"n":${i}}`);
      }
    }
    assert.equal(made.find((key) => key.alg === 'PS256')!.publicJwk.n!.length, 342, 'a 2048-bit modulus');
  });

  it('keeps the private keys sensitive and non-extractable on the token', async () => {
    const { made } = await keysMadeBy(hsm);
    for (const { reference } of made) assert.equal(hsm.isProtected(reference), true);
  });

  it('signs concurrently without mixing operations on its session', async () => {
    const { signing, jwks } = await keysMadeBy(hsm);
    const signatures = await Promise.all(Array.from({ length: 40 }, (_, i) => signCompactJws(signing, i % 2 ? 'ES256' : 'PS256', {}, Buffer.from(String(i)))));
    for (const jws of signatures) await compactVerify(jws, createLocalJWKSet(jwks));
  });

});

describe('PKCS#11 key manager refusals (SoftHSM2)', () => {
  it('refuses a wrong PIN and an unknown token with errors that name the setting, never the PIN', async () => {
    // A token of its own: the login state of a token is shared by every session of a process.
    const token = await softHsmToken('portico-refusals');
    try {
      await assert.rejects(Pkcs11KeyManager.open({ ...token, pin: '000000' }), (error: Error) => /CKR_PIN_INCORRECT/.test(error.message) && !error.message.includes('000000'));
      await assert.rejects(Pkcs11KeyManager.open({ ...token, tokenLabel: 'no-such-token' }), /no PKCS#11 token labelled "no-such-token" .*PKCS11_TOKEN_LABEL/);
      const opened = await Pkcs11KeyManager.open(token);
      await opened.close();
    } finally {
      await token.remove();
    }
  });
});

describe('switching the bank from the local keystore to an HSM (PostgreSQL, SoftHSM2)', () => {
  let database: TestDatabase;
  let token: SoftHsmToken;
  let hsm: Pkcs11KeyManager;

  before(async () => {
    database = await openTestDatabase('postgres');
    token = await softHsmToken('portico-switch');
    hsm = await Pkcs11KeyManager.open(token);
  });
  after(async () => {
    await hsm?.close();
    await token?.remove();
    await database?.close();
  });

  it('the local keys sign until the HSM keys made by the rotation activate, then the HSM signs', async () => {
    const local = new LocalKeyManager(undefined);
    await ensureSigningKeys(database.db, { keys: local });
    let clock = new Date();
    const ring = await SigningKeyRing.load(database.db, { managers: [hsm, local], now: () => clock });
    const localKid = ring.signingKid('PS256');
    const rotation = await rotateSigningKeys(database.db, { keys: hsm, now: clock, activateAfterSeconds: 60 });
    await ring.refresh();
    const sign = async () => {
      const jws = await signCompactJws(ring, 'PS256', {}, Buffer.from('x'));
      await compactVerify(jws, createLocalJWKSet(ring.publicJwks()));
      return decodeProtectedHeader(jws).kid;
    };
    assert.equal(await sign(), localKid);
    clock = rotation.activatesAt;
    const hsmKid = await sign();
    assert.ok(rotation.created.includes(hsmKid!));
    const row = await database.db.selectFrom('auth_signing_keys').select('private_jwk').where('kid', '=', hsmKid!).executeTakeFirstOrThrow();
    assert.equal((row.private_jwk as { type: string }).type, 'pkcs11', 'the database holds only a reference to the HSM key');
  });

  it('portico keys rotate, in another process, makes keys on the HSM that this running process signs with', async () => {
    const ring = await SigningKeyRing.load(database.db, { managers: [hsm, new LocalKeyManager(undefined)] });
    const run = await runPortico(['keys', 'rotate', '--activate-in-seconds', '0'], {
      DATABASE_URL: database.url!,
      DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), 'portico-hsm-cli-')),
      KEY_MANAGER: 'pkcs11',
      PKCS11_LIBRARY: token.library,
      PKCS11_TOKEN_LABEL: token.tokenLabel,
      PKCS11_PIN: token.pin,
      SOFTHSM2_CONF: token.conf,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Created signing keys \(pkcs11 key manager\): /);
    await ring.refresh();
    const jws = await signCompactJws(ring, 'ES256', {}, Buffer.from('after the rotation'));
    await compactVerify(jws, createLocalJWKSet(ring.publicJwks()));
    const kid = decodeProtectedHeader(jws).kid!;
    assert.ok(run.stdout.includes(kid), 'the key the other process made signs here');
  });
});

describe('the platform with KEY_MANAGER=pkcs11 (PostgreSQL, SoftHSM2)', () => {
  let token: SoftHsmToken;
  let fixture: PisFixture;

  before(async () => {
    token = await softHsmToken('portico-platform');
    fixture = await startPisFixture('postgres', { tpp: 'HSM Test TPP', other: 'HSM Other TPP' }, { KEY_MANAGER: 'pkcs11', PKCS11_LIBRARY: token.library, PKCS11_TOKEN_LABEL: token.tokenLabel, PKCS11_PIN: token.pin });
  });
  after(async () => {
    await fixture?.app.close();
    await token?.remove();
  });

  it('makes its signing keys on the HSM at first start and signs responses and ID tokens there', async () => {
    const { app, tpp } = fixture;
    const rows = await app.portico.database.db.selectFrom('auth_signing_keys').select(['kid', 'private_jwk']).execute();
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal((row.private_jwk as { type: string }).type, 'pkcs11', `${row.kid} is on the HSM`);
    const kids = rows.map((row) => row.kid).sort();
    assert.deepEqual(fixture.bankJwks.keys.map((key) => key.kid).sort(), kids, 'the jwks_uri publishes them');

    const body = JSON.stringify({
      Data: { Initiation: { InstructionIdentification: 'HSM-1', EndToEndIdentification: 'HSM-E2E-1', InstructedAmount: { Amount: '2.00', Currency: 'GBP' }, CreditorAccount: fixture.bobCreditor } },
      Risk: {},
    });
    const created = await pisPost(tpp, '/domestic-payment-consents', { token: await tpp.clientCredentialsToken('payments'), body });
    assert.equal(created.status, 201, created.text);
    const [protectedHeader, , signature] = String(created.headers['x-jws-signature']).split('.');
    await flattenedVerify({ protected: protectedHeader!, payload: created.body.toString('base64url'), signature: signature! }, createLocalJWKSet(fixture.bankJwks), { algorithms: ['PS256'], crit: OB_CRIT });

    const client = (await app.portico.authorizationServer.Client.find(tpp.clientId))!;
    const idToken = await new app.portico.authorizationServer.IdToken({ sub: 'psu-hsm' }, { client }).issue({ use: 'idtoken' });
    await jwtVerify(idToken, createLocalJWKSet(fixture.bankJwks), { audience: tpp.clientId });
  });
});
