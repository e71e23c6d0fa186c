import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, flattenedVerify, jwtVerify } from 'jose';
import { OB_CRIT, pisPost, startPisFixture, type PisFixture } from '../support/pis-access.ts';
import { VaultTransitFake } from '../support/vault-transit-fake.ts';

describe('the platform with KEY_MANAGER=vault (PostgreSQL, Vault transit contract)', () => {
  let vault: VaultTransitFake;
  let fixture: PisFixture;

  before(async () => {
    vault = await VaultTransitFake.start({ token: 'hvs.platform-test-token' });
    fixture = await startPisFixture('postgres', { tpp: 'Vault Test TPP', other: 'Vault Other TPP' }, { KEY_MANAGER: 'vault', VAULT_ADDR: vault.url, VAULT_TOKEN: 'hvs.platform-test-token' });
  });
  after(async () => {
    await fixture?.app.close();
    await vault?.close();
  });

  it('makes its signing keys in Vault at first start and signs responses and ID tokens there', async () => {
    const { app, tpp } = fixture;
    const rows = await app.portico.database.db.selectFrom('auth_signing_keys').select(['kid', 'alg', 'private_jwk']).execute();
    assert.equal(rows.length, 2);
    for (const row of rows) {
      const reference = row.private_jwk as { type: string; key: string };
      assert.equal(reference.type, 'vault', `${row.kid} is in Vault`);
      assert.equal(vault.keyType(reference.key), row.alg === 'PS256' ? 'rsa-2048' : 'ecdsa-p256');
    }
    const body = JSON.stringify({
      Data: { Initiation: { InstructionIdentification: 'VLT-1', EndToEndIdentification: 'VLT-E2E-1', InstructedAmount: { Amount: '3.00', Currency: 'GBP' }, CreditorAccount: fixture.bobCreditor } },
      Risk: {},
    });
    // The audit trail's checkpoints are signed in Vault too, as batches of records are written: not counted here.
    const apiSigns = () =>
      vault.exchanges.filter((exchange) => {
        if (!exchange.request.path.includes('/sign/')) return false;
        // The JWS signing input Vault is given: its protected header names what is signed.
        const input = (exchange.request.body as { input?: string } | undefined)?.input ?? '';
        const [header] = Buffer.from(input, 'base64').toString().split('.');
        return (JSON.parse(Buffer.from(header ?? '', 'base64url').toString() || '{}') as { typ?: string }).typ !== 'portico-audit-checkpoint+jws';
      }).length;
    const signsBefore = apiSigns();
    const created = await pisPost(tpp, '/domestic-payment-consents', { token: await tpp.clientCredentialsToken('payments'), body });
    assert.equal(created.status, 201, created.text);
    const [protectedHeader, , signature] = String(created.headers['x-jws-signature']).split('.');
    await flattenedVerify({ protected: protectedHeader!, payload: created.body.toString('base64url'), signature: signature! }, createLocalJWKSet(fixture.bankJwks), { algorithms: ['PS256'], crit: OB_CRIT });
    const client = (await app.portico.authorizationServer.Client.find(tpp.clientId))!;
    const idToken = await new app.portico.authorizationServer.IdToken({ sub: 'psu-vault' }, { client }).issue({ use: 'idtoken' });
    await jwtVerify(idToken, createLocalJWKSet(fixture.bankJwks), { audience: tpp.clientId });
    assert.equal(apiSigns(), signsBefore + 2, 'both signatures were made by Vault');
  });
});
