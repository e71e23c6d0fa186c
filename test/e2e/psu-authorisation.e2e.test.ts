import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { consentsOf } from '../support/consents-module.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { waitFor } from '../support/wait-for.ts';
import { AISP, aisGet } from '../support/ais-access.ts';
import { assertObResponse } from '../support/openapi.ts';
import { createAccessTokenVerifier } from '../../src/auth/index.ts';
import { checkAccessToken, checkGrantType, checkScope, checkTokenBinding, requireMtls } from '../../src/standards/uk-obie/v4.0/security/fapi-checks.ts';
import { checkConsentAuthorised } from '../../src/standards/uk-obie/v4.0/security/consent-checks.ts';
import { authorisedConsentOf, decorateSecurityContext } from '../../src/standards/uk-obie/v4.0/security/security-context.ts';
import type { Portico } from '../../src/app/index.ts';
import { obAccess } from '../support/ob-access.ts';

/** A protected test resource behind the real AIS security pipeline (mTLS, bound token, authorised consent). */
async function protectedResource(portico: Portico): Promise<void> {
  const verifier = createAccessTokenVerifier({ db: portico.database.db, cache: portico.cache });
  await portico.server.register(async (scope) => {
    decorateSecurityContext(scope);
    const steps = [requireMtls(), checkAccessToken(verifier), checkTokenBinding(), checkGrantType('authorization_code'), checkScope('accounts'), checkConsentAuthorised({ consents: portico.consents, kind: 'account-access' })];
    scope.get('/test/protected', { onRequest: steps }, async (request) => {
      const consent = authorisedConsentOf(request);
      return { consentId: consent.id, accountIds: consent.accountIds };
    });
  });
}

type Psu = SandboxPsuLogin;
const AIS_PERMISSIONS = ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'];

async function logIn(page: Page, psu: Psu, withCode = true): Promise<void> {
  await page.getByLabel('Username').fill(psu.username);
  await page.getByLabel('Password').fill(psu.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  if (withCode) {
    await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
}

for (const dialect of DIALECTS) {
  describe(`PSU authorisation in Chromium (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;
    let tpp: TppClient;
    let psus: Psu[];
    const db = () => app.portico.database.db;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true, beforeListen: protectedResource });
      browser = await launchBrowser(app.portico.tls.certPem);
      tpp = await TppClient.onboard(app, 'Acme Budgeting Ltd');
      await tpp.register();
      psus = await createSandboxModule({ db: db() }).listPsus();
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    const accountConsent = () => consentsOf(db()).create({ kind: 'account-access', clientId: tpp.clientId, access: obAccess(AIS_PERMISSIONS) });

    it('onboards, registers by DCR, stages a consent with a client-credentials token and authorises it through FAPI 1.0 Advanced with TOTP', async () => {
      const psu = psus[0]!;
      const consent = { id: await tpp.createAccountAccessConsent(AIS_PERMISSIONS) };
      const { verifier, challenge } = TppClient.pkce();
      const state = randomUUID();
      const nonce = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      await page.goto(await tpp.fapi1AuthorisationUrl(consent.id, state, nonce, challenge));
      await logIn(page, psu);

      await page.getByText('Acme Budgeting Ltd').first().waitFor();
      assert.ok(await page.getByText('Your account balances').isVisible(), 'permissions in plain language');
      const boxes = page.getByRole('checkbox');
      assert.ok((await boxes.count()) >= 1);
      const firstLabel = (await page.locator('fieldset label').first().innerText()).trim();
      // Labelled by the display name alone (DESIGN.md §3); type and masked number are its description.
      const firstBox = page.getByLabel(firstLabel, { exact: true });
      const about = await firstBox.getAttribute('aria-describedby');
      assert.match(await page.locator(`#${about}`).innerText(), /^(Current|Savings) account · \d\d-\d\d-\d\d · ending ••••\d{4}$/);
      await firstBox.check();
      await page.getByRole('button', { name: 'Approve' }).click();

      const url = await landing();
      const fragment = new URLSearchParams(url.hash.slice(1));
      assert.equal(fragment.get('state'), state);
      assert.ok(fragment.get('code'), 'authorisation code returned');
      const hybridIdToken = TppClient.claimsOf(fragment.get('id_token')!);
      assert.equal(hybridIdToken['nonce'], nonce);
      assert.equal(hybridIdToken['openbanking_intent_id'], consent.id);

      const token = await tpp.exchangeCode(fragment.get('code')!, verifier);
      assert.equal(token.status, 200, token.text);
      const tokens = token.json<{ access_token: string; id_token: string; token_type: string; refresh_token?: string }>();
      assert.equal(tokens.token_type, 'Bearer');
      assert.equal(TppClient.claimsOf(tokens.id_token)['openbanking_intent_id'], consent.id);

      const stored = (await consentsOf(db()).find(consent.id))!;
      assert.equal(stored.status, 'authorised');
      assert.equal(stored.accountIds.length, 1);
      assert.equal(stored.psuId !== null, true);
      const introspection = await tpp.mtls('/token/introspection', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokens.access_token, client_id: tpp.clientId }).toString(),
      });
      const active = introspection.json<{ active: boolean; cnf?: Record<string, string>; scope: string }>();
      assert.equal(active.active, true);
      assert.ok(active.cnf?.['x5t#S256'], 'the access token is bound to the transport certificate');
      assert.match(active.scope, /accounts/);

      const resource = await tpp.mtls('/test/protected', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(resource.status, 200, resource.text);
      assert.deepEqual(resource.json(), { consentId: consent.id, accountIds: stored.accountIds });
      // The same token from another TPP's connection is refused (certificate binding, RFC 8705 §3).
      const other = await TppClient.onboard(app, 'Token Thief Ltd');
      const stolen = await other.mtls('/test/protected', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(stolen.status, 401);

      // The refresh token is bound to the consent: once the TPP deletes the consent, it is dead too.
      assert.ok(tokens.refresh_token, 'AIS consents get a refresh token');
      const refresh = (refreshToken: string) =>
        tpp.mtls('/token', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: tpp.clientId }).toString(),
        });
      const beforeDelete = await refresh(tokens.refresh_token!);
      assert.equal(beforeDelete.status, 200, beforeDelete.text);
      const liveRefreshToken = beforeDelete.json<{ refresh_token?: string }>().refresh_token ?? tokens.refresh_token!;
      const ccToken = await tpp.clientCredentialsToken('accounts');
      const deleted = await tpp.mtls(`/open-banking/v4.0/aisp/account-access-consents/${consent.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ccToken}` } });
      assert.equal(deleted.status, 204, deleted.text);
      const afterDelete = await tpp.mtls('/test/protected', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(afterDelete.status, 403, 'the next call under the revoked consent is refused');
      await waitFor(async () => {
        const refreshed = await refresh(liveRefreshToken);
        return refreshed.status === 400 && refreshed.json<{ error: string }>().error === 'invalid_grant';
      }, 'the refresh token to be revoked with the consent');
      await context.close();
    });

    it('the PSU authorises, the TPP reads accounts, balances and transactions, the PSU revokes in the access dashboard; the TPP’s next read is refused', async () => {
      const psu = psus[6]!;
      const consent = { id: await tpp.createAccountAccessConsent(AIS_PERMISSIONS) };
      const { verifier, challenge } = TppClient.pkce();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      await page.goto(await tpp.fapi1AuthorisationUrl(consent.id, randomUUID(), randomUUID(), challenge));
      await logIn(page, psu);
      await page.getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Approve' }).click();
      const fragment = new URLSearchParams((await landing()).hash.slice(1));
      const exchanged = await tpp.exchangeCode(fragment.get('code')!, verifier);
      assert.equal(exchanged.status, 200, exchanged.text);
      const tokens = exchanged.json<{ access_token: string }>();
      const call = () => tpp.mtls('/test/protected', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal((await call()).status, 200);

      // The TPP reads what the PSU granted through the real AIS resources; every response is the published v4.0 shape.
      const read = async (pathname: string, status: number) => {
        const response = await aisGet(tpp, tokens.access_token, pathname);
        assert.equal(response.status, status, response.text);
        assertObResponse('account-info', 'GET', pathname, response);
        return response;
      };
      const [ticked] = (await consentsOf(db()).find(consent.id))!.accountIds;
      assert.ok(ticked, 'the consent holds the account the PSU ticked');
      const accounts = (await read(`${AISP}/accounts`, 200)).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account;
      assert.equal(accounts.length, 1, 'only the account the PSU ticked');
      const accountId = accounts[0]!.AccountId;

      const balancesPath = `${AISP}/accounts/${accountId}/balances`;
      type ObBalance = { AccountId: string; Type: string; CreditDebitIndicator: 'Credit' | 'Debit'; Amount: { Amount: string; Currency: string } };
      const balances = (await read(balancesPath, 200)).json<{ Data: { Balance: ObBalance[] } }>().Data.Balance;
      const booked = balances.find((b) => b.Type === 'ITBD');
      assert.ok(booked, 'an interim booked balance');
      assert.equal(booked.AccountId, accountId);
      // The booked balance is the core's, to the minor unit: OB carries it unsigned with an indicator (zero is a credit).
      const core = (await app.portico.core.getBalances(ticked))!;
      assert.equal(booked.Amount.Currency, core.currency);
      assert.equal(booked.CreditDebitIndicator, core.bookedMinor < 0n ? 'Debit' : 'Credit');
      // The sandbox's currencies (GBP, EUR) have two decimal places.
      const [whole, fraction = ''] = booked.Amount.Amount.split('.');
      assert.equal(BigInt(`${whole}${fraction.padEnd(2, '0')}`), core.bookedMinor < 0n ? -core.bookedMinor : core.bookedMinor);

      const transactions = (await read(`${AISP}/accounts/${accountId}/transactions`, 200)).json<{ Data: { Transaction: Array<{ AccountId: string }> } }>().Data.Transaction;
      assert.ok(transactions.length > 0, 'the sandbox account has a history');
      assert.deepEqual(new Set(transactions.map((t) => t.AccountId)), new Set([accountId]));

      const dashboard = await context.newPage();
      await dashboard.goto(`${app.base}/psu/login`);
      await dashboard.getByLabel('Username').fill(psu.username);
      await dashboard.getByLabel('Password').fill(psu.password);
      await dashboard.getByRole('button', { name: 'Continue' }).click();
      // The code of this time step was used moments ago (and is refused again); the next step's is accepted (RFC 6238 §5.2 window).
      await dashboard.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date(Date.now() + 30_000)));
      await dashboard.getByRole('button', { name: 'Continue' }).click();
      await dashboard.getByRole('heading', { name: 'Connected apps' }).waitFor();
      const entry = dashboard.getByRole('region', { name: 'Acme Budgeting Ltd' });
      assert.ok(await entry.getByText('Your account balances').isVisible(), 'what the TPP can see');
      assert.ok(await entry.getByText(/^(Current|Savings) account · \d\d-\d\d-\d\d · ending ••••\d{4}$/).first().isVisible(), 'the account by type and masked number');
      await entry.getByRole('button', { name: 'Stop access for Acme Budgeting Ltd' }).click();
      // A confirmation step first; keeping access changes nothing.
      await dashboard.getByRole('heading', { name: 'Stop access for Acme Budgeting Ltd?' }).waitFor();
      await dashboard.getByRole('button', { name: 'Keep access' }).click();
      await dashboard.getByRole('heading', { name: 'Connected apps' }).waitFor();
      assert.equal((await consentsOf(db()).find(consent.id))!.status, 'authorised');
      await dashboard.getByRole('region', { name: 'Acme Budgeting Ltd', exact: true }).getByRole('button', { name: 'Stop access for Acme Budgeting Ltd' }).click();
      await dashboard.getByRole('button', { name: 'Stop access', exact: true }).click();
      await dashboard.getByText('Access for Acme Budgeting Ltd has stopped.').waitFor();
      assert.equal(await dashboard.getByRole('region', { name: 'Acme Budgeting Ltd', exact: true }).count(), 0);
      // Kept in the history: what was shared, and why it ended.
      const ended = dashboard.getByRole('region', { name: 'History' }).getByRole('region', { name: 'Account access by Acme Budgeting Ltd' });
      assert.ok(await ended.getByText('Your account balances').isVisible());
      assert.ok(await ended.getByText('Stopped by you', { exact: true }).isVisible());

      // Revocation applies to the TPP’s very next read, with the OB error for a revoked consent.
      const refused = (await read(balancesPath, 403)).json<{ Errors: Array<{ ErrorCode: string }> }>();
      assert.equal(refused.Errors[0]?.ErrorCode, 'U009');
      assert.equal((await call()).status, 403, 'and to every call under the consent');
      assert.equal((await consentsOf(db()).find(consent.id))!.revokedBy, 'PSU');
      await context.close();
    });

    it('authorises through FAPI 1.0 Advanced with code and JARM (response_mode=jwt)', async () => {
      const psu = psus[7]!;
      const consent = { id: await tpp.createAccountAccessConsent(['ReadAccountsBasic']) };
      const { verifier, challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      const url = await tpp.fapi1AuthorisationUrl(consent.id, state, randomUUID(), challenge, { response_type: 'code', response_mode: 'jwt' });
      await page.goto(url.replace('response_type=code+id_token', 'response_type=code&response_mode=jwt'));
      await logIn(page, psu);
      await page.getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Approve' }).click();
      const landed = await landing();
      const response = landed.searchParams.get('response');
      assert.ok(response, `a JARM response: ${landed.toString()}`);
      const jwks = createLocalJWKSet((await app.request('/jwks')).json<JSONWebKeySet>());
      const { payload } = await jwtVerify(response!, jwks, { issuer: app.portico.config.http.publicUrl, audience: tpp.clientId });
      assert.equal(payload['state'], state);
      const token = await tpp.exchangeCode(String(payload['code']), verifier);
      assert.equal(token.status, 200, token.text);
      await context.close();
    });

    it('authorises through FAPI 2.0 (PAR, PKCE, code)', async () => {
      const fapi2 = await TppClient.onboard(app, 'Fapi Two Ltd');
      await fapi2.register({ fapiProfile: '2.0' });
      const psu = psus[1]!;
      const consent = { id: await fapi2.createAccountAccessConsent(['ReadAccountsBasic']) };
      const { verifier, challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      await page.goto(await fapi2.fapi2AuthorisationUrl(consent.id, 'openid accounts', state, challenge));
      await logIn(page, psu);
      await page.getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Approve' }).click();
      const url = await landing();
      assert.equal(url.searchParams.get('state'), state);
      assert.equal(url.searchParams.get('iss'), app.portico.config.http.publicUrl, 'RFC 9207 issuer identification');
      const token = await fapi2.exchangeCode(url.searchParams.get('code')!, verifier);
      assert.equal(token.status, 200, token.text);
      assert.equal(TppClient.claimsOf(token.json<{ id_token: string }>().id_token)['openbanking_intent_id'], consent.id);
      const resource = await fapi2.mtls('/test/protected', { headers: { authorization: `Bearer ${token.json<{ access_token: string }>().access_token}` } });
      assert.equal(resource.status, 200, resource.text);
      await context.close();
    });

    it('returns access_denied with the state to the TPP when the PSU denies, and rejects the consent', async () => {
      const psu = psus[2]!;
      const consent = await accountConsent();
      const { challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      await page.goto(await tpp.fapi1AuthorisationUrl(consent.id, state, randomUUID(), challenge));
      await logIn(page, psu);
      await page.getByRole('button', { name: 'Deny' }).click();
      const url = await landing();
      const fragment = new URLSearchParams(url.hash.slice(1));
      assert.equal(fragment.get('error'), 'access_denied');
      assert.equal(fragment.get('state'), state);
      assert.equal((await consentsOf(db()).find(consent.id))!.status, 'rejected');
      await context.close();
    });

    it('returns the PSU to the TPP with an error, before asking them to log in, when the request names another TPP’s consent', async () => {
      const victim = await TppClient.onboard(app, 'Victim Ltd');
      await victim.register();
      const theirs = await consentsOf(db()).create({ kind: 'account-access', clientId: victim.clientId, access: obAccess(['ReadAccountsBasic']) });
      const { challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      // Straight back to the TPP: the redirect chain started by the navigation ends at the TPP's
      // redirect URI, which does not resolve (`landing` records where the bank sent the PSU).
      await page.goto(await tpp.fapi1AuthorisationUrl(theirs.id, state, randomUUID(), challenge)).catch(() => undefined);
      const url = await landing();
      assert.equal(await page.getByLabel('Username').count(), 0, 'never asked to log in');
      const fragment = new URLSearchParams(url.hash.slice(1));
      assert.equal(fragment.get('error'), 'access_denied');
      assert.equal(fragment.get('state'), state);
      assert.equal((await consentsOf(db()).find(theirs.id))!.status, 'awaiting-authorisation', 'the other TPP’s consent is untouched');
      await context.close();
    });

    const paymentConsent = () =>
      consentsOf(db()).create({
        kind: 'domestic-payment',
        clientId: tpp.clientId,
        payment: { amountMinor: 1234n, currency: 'GBP', creditorName: 'Bob’s Bikes', creditorScheme: 'SortCodeAccountNumber', creditorIdentification: '04000412345678', reference: 'INV-42', debtorAccountId: null },
      });

    it('an authorisation request that cannot go back to the TPP gets the bank’s own page, without internals', async () => {
      const response = await app.request(`/auth?client_id=unknown-client&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`);
      assert.equal(response.status, 400);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.equal(response.headers['content-security-policy'], "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'");
      assert.match(response.text, /<h1>We could not start this request<\/h1>/);
      assert.match(response.text, /<link rel="stylesheet" href="\/psu\/assets\/portico.css">/);
      assert.doesNotMatch(response.text, /invalid_client|unknown-client|client is invalid/i, 'no OAuth internals');
    });

    it('links the one-time code to the amount and payee shown (dynamic linking)', async () => {
      const psu = psus[4]!;
      const consent = await paymentConsent();
      const { verifier, challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      await page.goto(await tpp.fapi1AuthorisationUrl(consent.id, state, randomUUID(), challenge, { scope: 'openid payments' }).then((u) => u.replace('scope=openid+accounts', 'scope=openid+payments')));
      await logIn(page, psu, false);
      await page.getByRole('heading', { name: 'Confirm your payment' }).waitFor({ timeout: 10_000 }).catch(async () => assert.fail(await page.content()));
      assert.ok(await page.getByText('£12.34').first().isVisible(), 'the amount is shown');
      assert.ok(await page.getByText('Bob’s Bikes').first().isVisible(), 'the payee is shown');
      await page.getByRole('radio').first().check();
      await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
      await page.getByRole('button', { name: 'Approve' }).click();
      const url = await landing();
      const fragment = new URLSearchParams(url.hash.slice(1));
      assert.ok(fragment.get('code'), url.toString());
      const token = await tpp.exchangeCode(fragment.get('code')!, verifier);
      assert.equal(token.status, 200, token.text);
      const stored = (await consentsOf(db()).find(consent.id))!;
      assert.equal(stored.status, 'authorised');
      assert.ok(stored.scaBinding, 'the authentication is recorded against amount and payee');
      await context.close();
    });

    it('invalidates the authentication when the amount changes after it was shown (dynamic-linking tampering)', async () => {
      const psu = psus[5]!;
      const consent = await paymentConsent();
      const { challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      await page.goto(await tpp.fapi1AuthorisationUrl(consent.id, state, randomUUID(), challenge, { scope: 'openid payments' }).then((u) => u.replace('scope=openid+accounts', 'scope=openid+payments')));
      await logIn(page, psu, false);
      await page.getByText('£12.34').first().waitFor();
      // The payment changes between the screen the PSU saw and the approval.
      await db().updateTable('consents').set({ payment: JSON.stringify({ amountMinor: '999999', currency: 'GBP', creditorName: 'Mallory', creditorScheme: 'SortCodeAccountNumber', creditorIdentification: '04000499999999', reference: null, debtorAccountId: null }) }).where('id', '=', consent.id).execute();
      await page.getByRole('radio').first().check();
      await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
      await page.getByRole('button', { name: 'Approve' }).click();
      const url = await landing();
      const fragment = new URLSearchParams(url.hash.slice(1));
      assert.equal(fragment.get('error'), 'access_denied');
      assert.equal(fragment.get('state'), state);
      assert.equal((await consentsOf(db()).find(consent.id))!.status, 'awaiting-authorisation');
      await context.close();
    });
  });
}
