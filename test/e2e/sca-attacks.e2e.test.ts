import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { consentsOf } from '../support/consents-module.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { AISP, aisGet, sandboxPsu } from '../support/ais-access.ts';

type Psu = SandboxPsuLogin;
const AIS_PERMISSIONS = ['ReadAccountsDetail', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'];

/**
 * PSD2 RTS Art. 4 and 5: every authorisation request is authenticated with both factors for that
 * request. Nothing a PSU proved for one request — a password typed for a payment, a completed
 * authorisation — may stand in for SCA of another, in the same browser or not.
 */
for (const dialect of DIALECTS) {
  describe(`SCA per authorisation request in Chromium (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;
    let payer: TppClient;
    let reader: TppClient;
    let psus: Psu[];
    const db = () => app.portico.database.db;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      browser = await launchBrowser(app.portico.tls.certPem);
      payer = await TppClient.onboard(app, 'Payer Pay Ltd');
      await payer.register();
      reader = await TppClient.onboard(app, 'Reader Insights Ltd');
      await reader.register();
      psus = await createSandboxModule({ db: db() }).listPsus();
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    const paymentUrl = async (consentId: string, challenge: string) =>
      (await payer.fapi1AuthorisationUrl(consentId, randomUUID(), randomUUID(), challenge, { scope: 'openid payments' })).replace('scope=openid+accounts', 'scope=openid+payments');
    const password = async (page: Page, psu: Psu) => {
      await page.getByLabel('Username').fill(psu.username);
      await page.getByLabel('Password').fill(psu.password);
      await page.getByRole('button', { name: 'Continue' }).click();
    };
    const askedToLogIn = async (page: Page) => {
      await page.getByRole('heading', { name: 'Log in to continue' }).waitFor({ timeout: 10_000 }).catch(async () => assert.fail(`not the login page: ${await page.content()}`));
      assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, 'no consent screen before SCA');
    };
    const askedForCode = async (page: Page) => {
      await page.getByRole('heading', { name: 'Enter your one-time code' }).waitFor({ timeout: 10_000 }).catch(async () => assert.fail(`not the one-time code page: ${await page.content()}`));
      assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, 'no consent screen before the second factor');
    };

    it('attack: abandoning the payment one-time code page does not let another TPP’s consent skip the second factor', async () => {
      const psu = psus[2]!;
      const payment = await consentsOf(db()).create({
        kind: 'domestic-payment',
        clientId: payer.clientId,
        payment: { amountMinor: 500n, currency: 'GBP', creditorName: 'Bait Ltd', creditorScheme: 'SortCodeAccountNumber', creditorIdentification: '04000412345678', reference: null, debtorAccountId: null },
      });
      const { context, page } = await tppContext(browser, REDIRECT_URI);
      try {
        // Password for the payment; the page asking for the code bound to amount and payee is abandoned.
        await page.goto(await paymentUrl(payment.id, TppClient.pkce().challenge));
        await password(page, psu);
        await page.getByRole('heading', { name: 'Confirm your payment' }).waitFor({ timeout: 10_000 });

        // Another TPP's account-access consent in the same browser: password and code again.
        const consentId = await reader.createAccountAccessConsent(AIS_PERMISSIONS);
        await page.goto(await reader.fapi1AuthorisationUrl(consentId, randomUUID(), randomUUID(), TppClient.pkce().challenge));
        await askedToLogIn(page);
        await password(page, psu);
        await askedForCode(page);

        // Approving straight away, without the code, is refused: the request goes back to the code step.
        const [account] = (await sandboxPsu(app, 2)).accountIds;
        const step = page.url();
        const forged = await page.evaluate(
          async ({ url, accountId }) => {
            const response = await fetch(url, { method: 'POST', body: new URLSearchParams({ decision: 'approve', accounts: accountId }) });
            return { url: response.url, status: response.status, text: await response.text() };
          },
          { url: `${step}/consent`, accountId: account! },
        );
        assert.equal(forged.status, 200);
        assert.equal(forged.url, step, 'sent back to the one-time code step');
        assert.match(forged.text, /Enter your one-time code/);
        assert.ok(page.url().startsWith(`${app.base}/psu/interaction/`), 'the PSU is still at the bank: no authorisation code went to the TPP');
        assert.equal((await consentsOf(db()).find(consentId))!.status, 'awaiting-authorisation', 'the consent is not authorised');

        // With no authorisation code, all the TPP holds is a client-credentials token, which reads no transactions.
        const read = await aisGet(reader, await reader.clientCredentialsToken('accounts'), `${AISP}/transactions`);
        assert.ok([401, 403].includes(read.status), read.text);
        assert.equal((await consentsOf(db()).find(payment.id))!.status, 'awaiting-authorisation', 'the abandoned payment is not authorised either');
      } finally {
        await context.close();
      }
    });

    it('attack: a second consent in the same browser session needs password and one-time code again', async () => {
      const psu = psus[3]!;
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      try {
        // A complete authorisation: password, code, approve.
        const first = await reader.createAccountAccessConsent(AIS_PERMISSIONS);
        const { verifier, challenge } = TppClient.pkce();
        await page.goto(await reader.fapi1AuthorisationUrl(first, randomUUID(), randomUUID(), challenge));
        await password(page, psu);
        await askedForCode(page);
        await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByRole('checkbox').first().check();
        await page.getByRole('button', { name: 'Approve' }).click();
        const code = new URLSearchParams((await landing()).hash.slice(1)).get('code');
        assert.ok(code, 'the first authorisation completes');
        const tokens = await reader.exchangeCode(code, verifier);
        assert.equal(tokens.status, 200, tokens.text);
        assert.equal(TppClient.claimsOf(tokens.json<{ id_token: string }>().id_token)['acr'], 'urn:openbanking:psd2:sca', 'the ID token states SCA, which took place');
        assert.equal((await context.cookies()).filter((c) => c.name === '_session').length, 0, 'no browser session at the bank outlives the authorisation');

        // Another TPP's consent, then another consent of the same TPP: each asks for password and code again.
        const second = await payer.createAccountAccessConsent(['ReadAccountsBasic']);
        await page.goto(await payer.fapi1AuthorisationUrl(second, randomUUID(), randomUUID(), TppClient.pkce().challenge));
        await askedToLogIn(page);
        await password(page, psu);
        await askedForCode(page);

        const third = await reader.createAccountAccessConsent(['ReadAccountsBasic']);
        await page.goto(await reader.fapi1AuthorisationUrl(third, randomUUID(), randomUUID(), TppClient.pkce().challenge));
        await askedToLogIn(page);
        await password(page, psu);
        await askedForCode(page);
        for (const id of [second, third]) assert.equal((await consentsOf(db()).find(id))!.status, 'awaiting-authorisation');
      } finally {
        await context.close();
      }
    });
  });
}
