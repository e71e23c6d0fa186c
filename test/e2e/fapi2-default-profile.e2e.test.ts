import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { registrationClaims, signJwt } from '../support/ob-dcr-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { AISP, aisGet } from '../support/ais-access.ts';
import { assertObResponse } from '../support/openapi.ts';

type Psu = SandboxPsuLogin;

async function logIn(page: Page, psu: Psu): Promise<void> {
  await page.getByLabel('Username').fill(psu.username);
  await page.getByLabel('Password').fill(psu.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * `FAPI_PROFILE=2.0`: the bank's default profile is the FAPI 2.0 Security Profile. A TPP that
 * registers with standard RFC 7591 / OB DCR metadata only (no `fapi_profile`) is held to it: PAR
 * without a request object, PKCE, `response_type=code`, mTLS-bound tokens.
 */
for (const dialect of DIALECTS) {
  describe(`FAPI 2.0 as the bank's default profile (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;
    let tpp: TppClient;
    let psus: Psu[];

    before(async () => {
      app = await startTestPortico(dialect, { FAPI_PROFILE: '2.0' }, { seedSandbox: true });
      browser = await launchBrowser(app.portico.tls.certPem);
      psus = await createSandboxModule({ db: app.portico.database.db }).listPsus();
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    it('discovery advertises PAR as required, PKCE S256, code and certificate-bound tokens', async () => {
      const discovery = (await app.request('/.well-known/openid-configuration')).json<Record<string, unknown>>();
      assert.equal(discovery['require_pushed_authorization_requests'], true);
      assert.equal(discovery['pushed_authorization_request_endpoint'], `${app.portico.config.http.publicUrl}/request`);
      assert.deepEqual(discovery['code_challenge_methods_supported'], ['S256']);
      assert.ok((discovery['response_types_supported'] as string[]).includes('code'));
      assert.equal(discovery['tls_client_certificate_bound_access_tokens'], true);
      assert.equal(discovery['authorization_response_iss_parameter_supported'], true);
    });

    it('a TPP registered with standard metadata only: PAR (no request object) + PKCE + code, PSU approval in Chromium, token, AIS read', async () => {
      tpp = await TppClient.onboard(app, 'Standard Metadata Ltd', ['AISP']);
      // RFC 7591 / OB DCR v3.4 metadata only: no Portico `fapi_profile`, no request object algorithm.
      const claims = registrationClaims(app, tpp.tpp, { response_types: ['code'], scope: 'openid accounts', request_object_signing_alg: undefined });
      const registered = await tpp.mtls('/register', { method: 'POST', headers: { 'content-type': 'application/jose' }, body: await signJwt(claims, tpp.tpp.signing) });
      assert.equal(registered.status, 201, registered.text);
      const registration = registered.json<{ client_id: string; response_types: string[] }>();
      assert.deepEqual(registration.response_types, ['code']);
      tpp.clientId = registration.client_id;

      const consentId = await tpp.createAccountAccessConsent(['ReadAccountsBasic', 'ReadBalances']);
      const { verifier, challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      await page.goto(await tpp.fapi2AuthorisationUrl(consentId, 'openid accounts', state, challenge));
      await logIn(page, psus[0]!);
      await page.getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Approve' }).click();
      const url = await landing();
      await context.close();
      assert.equal(url.searchParams.get('state'), state);
      assert.equal(url.searchParams.get('iss'), app.portico.config.http.publicUrl, 'RFC 9207 issuer identification');
      const code = url.searchParams.get('code');
      assert.ok(code, url.toString());

      const token = await tpp.exchangeCode(code, verifier);
      assert.equal(token.status, 200, token.text);
      const { access_token: accessToken, id_token: idToken } = token.json<{ access_token: string; id_token: string }>();
      assert.equal(TppClient.claimsOf(idToken)['openbanking_intent_id'], consentId);

      const accounts = await aisGet(tpp, accessToken, 'accounts');
      assertObResponse('account-info', 'GET', `${AISP}/accounts`, accounts);
      assert.equal(accounts.status, 200, accounts.text);
      assert.ok(accounts.json<{ Data: { Account: unknown[] } }>().Data.Account.length > 0);
    });

    it('standard metadata asking for FAPI 1.0 response types is refused (400 invalid_client_metadata); a client naming fapi_profile 1.0 Final still registers as one', async () => {
      const other = await TppClient.onboard(app, 'Hybrid Flow Ltd', ['AISP']);
      const register = async (overrides: Record<string, unknown>) =>
        other.mtls('/register', { method: 'POST', headers: { 'content-type': 'application/jose' }, body: await signJwt(registrationClaims(app, other.tpp, { scope: 'openid accounts', ...overrides }), other.tpp.signing) });
      const hybrid = await register({ response_types: ['code id_token'] });
      assert.equal(hybrid.status, 400, hybrid.text);
      assert.equal(hybrid.json<{ error: string }>().error, 'invalid_client_metadata');
      const fapi1 = await register({ response_types: ['code id_token'], fapi_profile: '1.0 Final' });
      assert.equal(fapi1.status, 201, fapi1.text);
      assert.deepEqual(fapi1.json<{ response_types: string[] }>().response_types, ['code id_token']);
    });

    it('attack: the same client sends its authorisation request on the front channel (no PAR): refused, no PSU page', async () => {
      assert.ok(tpp?.clientId, 'registered by the previous test');
      const { challenge } = TppClient.pkce();
      const query = new URLSearchParams({
        client_id: tpp.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid accounts',
        state: randomUUID(),
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const response = await app.request(`/auth?${query.toString()}`);
      // Back to the TPP with the OAuth error (the client and redirect URI are known), never to the PSU pages.
      assert.equal(response.status, 303, response.text);
      const location = new URL(String(response.headers['location']));
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.equal(location.searchParams.get('state'), query.get('state'));
    });
  });
}
