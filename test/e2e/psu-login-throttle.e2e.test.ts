import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';

type Psu = SandboxPsuLogin;

/**
 * Login throttling on the authorisation journey's pages, in Chromium. The throttle itself runs on
 * both backends in test/modules/psu-identity and test/ui; this checks the journey's pages answer it
 * (429, Retry-After, the form with its wait, Cancel back to the TPP). Behind a trusted proxy, so
 * each browser context comes from an address of its own (X-Forwarded-For).
 */
describe('PSU login throttling on the authorisation pages, in Chromium (pglite)', () => {
  let app: TestPortico;
  let browser: Browser;
  let tpp: TppClient;
  let psus: Psu[];

  before(async () => {
    app = await startTestPortico('pglite', { TRUST_PROXY: '127.0.0.1' });
    await createSandboxModule({ db: app.portico.database.db }).seed({ customers: 5, months: 1, seed: 21, asOf: new Date('2026-01-31T12:00:00Z') });
    psus = await createSandboxModule({ db: app.portico.database.db }).listPsus();
    browser = await launchBrowser(app.portico.tls.certPem);
    tpp = await TppClient.onboard(app, 'Throttle Test Ltd');
    await tpp.register();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A browser at the bank's login page for a fresh account-access consent, coming from `address`. */
  async function journeyFrom(address: string) {
    const consentId = await tpp.createAccountAccessConsent(['ReadAccountsDetail']);
    const state = randomUUID();
    const journey = await tppContext(browser, REDIRECT_URI);
    await journey.context.setExtraHTTPHeaders({ 'x-forwarded-for': address });
    await journey.page.goto(await tpp.fapi1AuthorisationUrl(consentId, state, randomUUID(), TppClient.pkce().challenge));
    return { ...journey, state };
  }
  async function submitLogin(page: Page, username: string, password: string) {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/login')), page.getByRole('button', { name: 'Continue' }).click()]);
    await page.waitForLoadState();
    return response;
  }

  it('attack: five wrong passwords from one source do not lock the PSU out from another source', async () => {
    const psu = psus[0]!;
    const attacker = await journeyFrom('192.0.2.10');
    for (let i = 0; i < 5; i++) {
      const response = await submitLogin(attacker.page, psu.username, `guess-${i}`);
      assert.equal(response.status(), 200);
      assert.equal((await attacker.page.getByRole('alert').innerText()).trim(), 'The username or password is not correct');
    }
    const throttled = await submitLogin(attacker.page, psu.username, psu.password);
    assert.equal(throttled.status(), 429);
    const wait = Number(await throttled.headerValue('retry-after'));
    assert.ok(wait >= 1 && wait <= 30, `Retry-After ${wait}`);
    assert.match((await attacker.page.getByRole('alert').innerText()).trim(), /^Too many attempts\. Try again in \d+ seconds?$/);
    // Not stranded: Cancel still takes the browser back to the TPP with an OAuth error.
    await attacker.page.getByRole('button', { name: 'Cancel' }).click();
    const back = new URLSearchParams((await attacker.landing()).hash.slice(1));
    assert.deepEqual([back.get('error'), back.get('state')], ['access_denied', attacker.state]);
    await attacker.context.close();

    // The PSU, from their own address, goes through both factors to the consent screen.
    const home = await journeyFrom('198.51.100.20');
    const password = await submitLogin(home.page, psu.username, psu.password);
    assert.equal(password.status(), 303);
    await home.page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
    await home.page.getByRole('button', { name: 'Continue' }).click();
    await home.page.getByRole('button', { name: 'Approve' }).waitFor();
    await home.context.close();
  });
});
