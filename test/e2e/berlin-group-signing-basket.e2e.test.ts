import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { waitFor } from '../support/wait-for.ts';
import { detailedConsent, leastUsedPsu, psusWithIban, unusedOneTimeCode, XS2A, XS2A_NOK_REDIRECT_URI, XS2A_REDIRECT_URI, Xs2aClient, type SandboxPsu } from '../support/xs2a-client.ts';

interface Links { [name: string]: { href: string } }

/** The TPP's organisation: a Berlin Group TPP has no client name, so this is the name the PSU sees. */
const ORGANISATION = 'Korbwerk Zahlungen GmbH';
/** Both redirect URIs live here; the host does not resolve, so the browser context answers for it. */
const TPP_ORIGIN = 'https://tpp.example/';
const CREDITOR_IBAN = 'DE89370400440532013000';
const PAYEE = 'Bäckerei Müller';

/**
 * A NextGenPSD2 signing basket with the PSU in Chromium: the TPP makes two payments and a consent,
 * puts them in a basket, and sends the PSU's browser to the basket's `scaRedirect`; one screen and
 * one code authorise all three.
 */
for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 signing basket with the PSU in Chromium (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string; accountId: string }>;
    let psu: SandboxPsu;
    let iban: string;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, ORGANISATION);
      psus = await psusWithIban(app);
      browser = await launchBrowser(app.portico.tls.certPem);
    });
    beforeEach(() => {
      ({ psu, iban } = leastUsedPsu(psus));
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    async function inChromium(journey: (page: Page, landing: () => Promise<URL>) => Promise<void>): Promise<void> {
      const { context, page, landing } = await tppContext(browser, TPP_ORIGIN);
      try {
        await journey(page, landing);
      } finally {
        await context.close();
      }
    }

    async function logIn(page: Page, scaRedirect: string): Promise<void> {
      await page.goto(scaRedirect);
      await page.getByRole('heading', { name: 'Log in to continue' }).waitFor();
      await page.getByLabel('Username').fill(psu.username);
      await page.getByLabel('Password').fill(psu.password);
      await page.getByRole('button', { name: 'Continue' }).click();
    }

    async function assertBackAtTpp(page: Page, landing: () => Promise<URL>, uri: string): Promise<void> {
      await page.waitForURL(uri);
      assert.equal((await landing()).href, uri);
      assert.ok(await page.getByText('Back at the TPP').isVisible(), 'the TPP\'s page is shown');
    }

    const consentStatusOf = async (consentId: string) => (await tpp.request(`${XS2A}/consents/${consentId}/status`)).json<{ consentStatus: string }>().consentStatus;

    it('signing basket: two payments and a consent → one screen shows each payment and the consent, one code, Approve → back at the TPP → basket ACTC, both payments ACSC, the consent valid', async () => {
      const headers = { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI };
      const pay = async (amount: string, creditorName: string) => {
        const created = await tpp.request(`${XS2A}/payments/sepa-credit-transfers`, {
          body: { debtorAccount: { iban }, instructedAmount: { currency: 'EUR', amount }, creditorAccount: { iban: CREDITOR_IBAN }, creditorName, remittanceInformationUnstructured: `Korb ${amount}` },
          psuPresent: true,
          headers,
        });
        assert.equal(created.status, 201, created.text);
        return created.json<{ paymentId: string }>().paymentId;
      };
      const first = await pay('12.34', PAYEE);
      const second = await pay('25.00', 'Stadtwerke Köln');
      const consent = await tpp.createConsent(detailedConsent([iban]));
      assert.equal(consent.status, 201, consent.text);
      const { consentId } = consent.json<{ consentId: string }>();
      const basket = await tpp.request(`${XS2A}/signing-baskets`, { body: { paymentIds: [first, second], consentIds: [consentId] }, psuPresent: true, headers });
      assert.equal(basket.status, 201, basket.text);
      const { basketId, _links } = basket.json<{ basketId: string; _links: Links }>();

      await inChromium(async (page, landing) => {
        await logIn(page, _links['scaRedirect']!.href);
        // Dynamic linking over the whole basket: every payee and amount, the consent, and the total the code confirms.
        await page.getByRole('heading', { name: 'Authorise these requests together' }).waitFor();
        assert.equal(await page.locator('.who').textContent(), `${ORGANISATION} is asking you to authorise 2 payments and 1 consent at once.`);
        assert.ok(await page.getByRole('heading', { name: 'Payment 1' }).isVisible());
        assert.ok(await page.getByText('€12.34', { exact: true }).isVisible(), 'the first amount is shown');
        assert.ok(await page.getByText(PAYEE, { exact: true }).isVisible(), 'the first payee is shown');
        assert.ok(await page.getByText('€25.00', { exact: true }).isVisible(), 'the second amount is shown');
        assert.ok(await page.getByText('Stadtwerke Köln', { exact: true }).isVisible(), 'the second payee is shown');
        assert.ok(await page.getByRole('heading', { name: 'Share your account information' }).isVisible(), 'the consent is shown');
        assert.ok(await page.getByText(`Your code confirms 2 payments totalling €37.34 to ${PAYEE}, Stadtwerke Köln and 1 consent.`).isVisible(), 'the code is bound to the total and each payee');
        await page.getByLabel('One-time code').fill(await unusedOneTimeCode(psu.totpSecret));
        await page.getByRole('button', { name: 'Approve' }).click();
        await assertBackAtTpp(page, landing, XS2A_REDIRECT_URI);
      });

      assert.equal((await tpp.request(`${XS2A}/signing-baskets/${basketId}/status`)).json<{ transactionStatus: string }>().transactionStatus, 'ACTC');
      assert.equal(await consentStatusOf(consentId), 'valid');
      for (const paymentId of [first, second]) {
        const status = async () => (await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;
        await waitFor(async () => (await status()) === 'ACSC', `payment ${paymentId} settled`);
      }
    });
  });
}
