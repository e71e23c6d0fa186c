import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { PsuAgent } from '../support/psu-agent.ts';
import { AISP, aisGet } from '../support/ais-access.ts';
import { assertObResponse } from '../support/openapi.ts';
import { TestDirectory } from '../support/test-directory.ts';
import { assertRegistrationError, register } from '../support/ob-dcr-client.ts';
import { PISP, pisPost, tppSignature } from '../support/pis-access.ts';
import { createUnsavedQtsp } from '../../src/modules/directory/sandbox-qtsp.ts';
import { decodeJwt } from 'jose';

const PERMISSIONS = ['ReadAccountsDetail', 'ReadBalances'];
const ASPSP = { ASPSP_ORG_ID: 'ProductionBank0001', FX_CONTRACT_KEY: Buffer.alloc(32, 7).toString('base64') };
const PAYMENT_CONSENT = JSON.stringify({
  Data: {
    Initiation: {
      InstructionIdentification: 'PROD-1',
      EndToEndIdentification: 'PROD-1',
      InstructedAmount: { Amount: '10.00', Currency: 'GBP' },
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Shop Ltd' },
    },
  },
  Risk: {},
});

for (const dialect of DIALECTS) {
  describe(`production mode (SANDBOX=false): a TPP trusted through a remote directory (${dialect})`, () => {
    let directory: TestDirectory;
    let app: TestPortico;
    let tpp: TppClient;

    before(async () => {
      directory = await TestDirectory.start();
      // Every revocation check asks the QTSP (no answer or CRL reused), so each test sees the state it sets.
      app = await startTestPortico(dialect, { ...directory.environment, ...ASPSP, DIRECTORY_REVOCATION_RECHECK_SECONDS: '0' }, {
        // The bank's customers: in production they come from its core and identity provider.
        beforeListen: (portico) => createSandboxModule({ db: portico.database.db }).seed({ customers: 5, months: 1, seed: 7, asOf: new Date() }).then(() => undefined),
      });
      tpp = new TppClient(app, await directory.onboard('Remote Budgeting Ltd', ['AISP', 'PISP'], [REDIRECT_URI]));
      // OB DCR v3.4 over mutual TLS: the directory's SSA, a request signed with the software's key.
      await tpp.register();
    });
    after(async () => {
      await app?.close();
      await directory?.close();
    });

    it('serves no sandbox routes and advertises OB DCR', async () => {
      assert.equal(app.portico.qtsp, undefined);
      assert.equal((await app.request('/sandbox/v1/psus')).status, 404);
      assert.equal((await app.request('/directory/v1/jwks')).status, 404);
      const discovery = await app.request('/.well-known/openid-configuration');
      assert.equal(discovery.json<{ registration_endpoint?: string }>().registration_endpoint, `${app.base}/register`);
      const landing = await app.request('/');
      assert.match(landing.text, new RegExp(`<code>POST ${app.base}/register</code> over mutual TLS`));
      assert.doesNotMatch(landing.text, /sandbox/i);
    });

    it('registers by DCR, gets a client-credentials token, creates a consent, the PSU authorises it and the TPP reads the account', async () => {
      assert.ok(tpp.clientId);
      assert.ok(directory.requests.includes('GET /jwks'), 'the SSA verified against the directory JWKS');
      assert.ok(directory.requests.includes(`GET /software/${tpp.tpp.softwareId}/jwks`), "the request verified against the software's JWKS");
      const consentId = await tpp.createAccountAccessConsent(PERMISSIONS);

      const [psu] = await createSandboxModule({ db: app.portico.database.db }).listPsus();
      const agent = new PsuAgent(app);
      const state = randomUUID();
      const { verifier, challenge } = TppClient.pkce();
      const loginPage = await agent.go(await tpp.fapi1AuthorisationUrl(consentId, state, randomUUID(), challenge));
      assert.match(loginPage.text, /Log in to continue/);
      const interaction = agent.location;
      await agent.go(`${interaction}/login`, { username: psu!.username, password: psu!.password });
      const consentPage = await agent.go(`${interaction}/otp`, { otp: generateTotp(psu!.totpSecret, new Date()) });
      const accountId = /name="accounts" value="([^"]+)"/.exec(consentPage.text)?.[1];
      assert.ok(accountId, `an account to choose: ${consentPage.text.slice(0, 300)}`);
      await agent.go(`${interaction}/consent`, { decision: 'approve', accounts: accountId });
      assert.ok(agent.location.startsWith(REDIRECT_URI), `back at the TPP, not ${agent.location}`);
      const fragment = new URLSearchParams(new URL(agent.location).hash.slice(1));
      assert.equal(fragment.get('state'), state);

      const exchanged = await tpp.exchangeCode(fragment.get('code')!, verifier);
      assert.equal(exchanged.status, 200, exchanged.text);
      const token = exchanged.json<{ access_token: string }>().access_token;
      const accounts = await aisGet(tpp, token, 'accounts');
      assert.equal(accounts.status, 200, accounts.text);
      assertObResponse('account-info', 'GET', `${AISP}/accounts`, accounts);
      // The one account the PSU chose, under the AccountId the bank gives this TPP for it.
      const [account, ...others] = accounts.json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account;
      assert.equal(others.length, 0);
      const balances = await aisGet(tpp, token, `${AISP}/accounts/${account!.AccountId}/balances`);
      assert.equal(balances.status, 200, balances.text);
      assertObResponse('account-info', 'GET', `${AISP}/accounts/${account!.AccountId}/balances`, balances);
    });
    it("signs payment requests with the key the directory publishes for the TPP's software statement; a key it does not publish is refused", async () => {
      const token = await tpp.clientCredentialsToken('payments');
      const staged = await pisPost(tpp, '/domestic-payment-consents', { token, body: PAYMENT_CONSENT });
      assert.equal(staged.status, 201, staged.text);
      assertObResponse('payment-initiation', 'POST', `${PISP}/domestic-payment-consents`, staged);

      const stranger = new TppClient(app, await directory.onboard('Unrelated Signer Ltd', ['PISP'], [REDIRECT_URI]));
      const forged = await pisPost(tpp, '/domestic-payment-consents', { token, body: PAYMENT_CONSENT, signature: await tppSignature(tpp, PAYMENT_CONSENT, { signer: stranger }) });
      assert.equal(forged.status, 400, forged.text);
      assert.match(forged.json<{ Errors: Array<{ ErrorCode: string }> }>().Errors[0]!.ErrorCode, /^U0/);
    });

    it('attack: a transport certificate from a CA that is not a client trust anchor (same names, another key) cannot register', async () => {
      const impostor = await directory.onboard('Impostor Ltd', ['AISP'], [REDIRECT_URI], { qtsp: await createUnsavedQtsp() });
      const response = await register(app, impostor);
      assert.equal(response.status, 401, response.text);
      assert.equal(response.json<{ error: string }>().error, 'invalid_client');
    });

    it('attack: a software statement the directory did not sign is refused', async () => {
      const tppClaims = await directory.onboard('Self Signed Ltd', ['AISP'], [REDIRECT_URI]);
      const foreign = await createUnsavedQtsp();
      const forgedSsa = await foreign.directorySigner.signJwt(decodeJwt(tppClaims.softwareStatement));
      assertRegistrationError(await register(app, { ...tppClaims, softwareStatement: forgedSsa }), 'invalid_software_statement');
    });

    it('an organisation the directory suspends cannot register, and can again once it is active', async () => {
      const suspended = await directory.onboard('Suspended Ltd', ['AISP', 'PISP'], [REDIRECT_URI]);
      directory.organisations.get(suspended.organisationId)!.status = 'Suspended';
      const refused = await register(app, suspended);
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.json<{ error: string }>().error, 'access_denied');
      directory.organisations.get(suspended.organisationId)!.status = 'Active';
      const accepted = await register(app, suspended);
      assert.equal(accepted.status, 201, accepted.text);
    });

    it('asks the QTSP whether the transport certificate is revoked (OCSP) when the TPP registers', () => {
      assert.ok(directory.revocationRequests.includes('OCSP'));
    });

    it('attack: a transport certificate its QTSP revoked (answered by OCSP) cannot register', async () => {
      const revoked = await directory.onboard('Revoked By Ocsp Ltd', ['AISP'], [REDIRECT_URI]);
      directory.revoke(revoked.transport.certificatePem);
      const response = await register(app, revoked);
      assert.equal(response.status, 401, response.text);
      assert.equal(response.json<{ error: string }>().error, 'invalid_client');
    });

    it('attack: a transport certificate revoked by CRL cannot register while the OCSP responder is down', async () => {
      const revoked = await directory.onboard('Revoked By Crl Ltd', ['AISP'], [REDIRECT_URI]);
      directory.revoke(revoked.transport.certificatePem);
      directory.revocationUp.ocsp = false;
      try {
        const before = directory.revocationRequests.length;
        const response = await register(app, revoked);
        assert.equal(response.status, 401, response.text);
        assert.deepEqual(directory.revocationRequests.slice(before), ['OCSP', 'CRL']);
      } finally {
        directory.revocationUp.ocsp = true;
      }
    });

    it('attack: OCSP responder and CRL down under fail-closed: a TPP whose certificate was never checked cannot register (503), and can once they answer', async () => {
      const unchecked = await directory.onboard('Unchecked Ltd', ['AISP', 'PISP'], [REDIRECT_URI]);
      Object.assign(directory.revocationUp, { ocsp: false, crl: false });
      try {
        const refused = await register(app, unchecked);
        assert.equal(refused.status, 503, refused.text);
      } finally {
        Object.assign(directory.revocationUp, { ocsp: true, crl: true });
      }
      const accepted = await register(app, unchecked);
      assert.equal(accepted.status, 201, accepted.text);
    });
  });
}
