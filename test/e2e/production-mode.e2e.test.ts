import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { listSandboxPsus, seedSandbox } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { PsuAgent } from '../support/psu-agent.ts';
import { AISP, aisGet } from '../support/ais-access.ts';
import { assertObResponse } from '../support/openapi.ts';
import { TestDirectory } from '../support/test-directory.ts';

const PERMISSIONS = ['ReadAccountsDetail', 'ReadBalances'];

for (const dialect of DIALECTS) {
  describe(`production mode (SANDBOX=false): a TPP trusted through a remote directory (${dialect})`, () => {
    let directory: TestDirectory;
    let app: TestPortico;
    let tpp: TppClient;

    before(async () => {
      directory = await TestDirectory.start();
      app = await startTestPortico(dialect, directory.environment, {
        // The bank's customers: in production they come from its core and identity provider.
        beforeListen: (portico) => seedSandbox(portico.database.db, { customers: 5, months: 1, seed: 7, asOf: new Date() }).then(() => undefined),
      });
      tpp = new TppClient(app, await directory.onboard('Remote Budgeting Ltd', ['AISP', 'PISP'], [REDIRECT_URI]));
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
    });

    it('registers by DCR, gets a client-credentials token, creates a consent, the PSU authorises it and the TPP reads the account', async () => {
      await tpp.register();
      assert.ok(directory.requests.includes('GET /jwks'), 'the SSA verified against the directory JWKS');
      assert.ok(directory.requests.includes(`GET /software/${tpp.tpp.softwareId}/jwks`), "the request verified against the software's JWKS");
      const consentId = await tpp.createAccountAccessConsent(PERMISSIONS);

      const [psu] = await listSandboxPsus(app.portico.database.db);
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
  });
}
