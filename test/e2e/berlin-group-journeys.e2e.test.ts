import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { waitFor } from '../support/wait-for.ts';
import { detailedConsent, leastUsedPsu, psuCompletesSca, psusWithIban, untilOneTimeCodeUnused, unusedOneTimeCode, XS2A, XS2A_NOK_REDIRECT_URI, XS2A_REDIRECT_URI, Xs2aClient, type SandboxPsu } from '../support/xs2a-client.ts';

interface Links { [name: string]: { href: string } }

/** The TPP's organisation: a Berlin Group TPP has no client name, so this is the name the PSU sees. */
const ORGANISATION = 'Kontoblick Zahlungen GmbH';
/** Both redirect URIs live here; the host does not resolve, so the browser context answers for it. */
const TPP_ORIGIN = 'https://tpp.example/';
/** A valid German IBAN outside the bank (the payment leaves it through the sandbox scheme). */
const CREDITOR_IBAN = 'DE89370400440532013000';
const PAYEE = 'Bäckerei Müller';

/**
 * The Berlin Group NextGenPSD2 redirect approach with the PSU in Chromium: the TPP starts the
 * consent or payment over the XS2A API with its QWAC, sends the PSU's browser to the bank's
 * `scaRedirect` page, and reads the outcome once the browser is back at its redirect URI.
 */
for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 journeys with the PSU in Chromium (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string; accountId: string }>;
    let psu: SandboxPsu;
    let iban: string;
    let accountId: string;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, ORGANISATION);
      psus = await psusWithIban(app);
      browser = await launchBrowser(app.portico.tls.certPem);
    });
    // Each journey its own PSU: a one-time code is accepted once per time step.
    beforeEach(() => {
      ({ psu, iban, accountId } = leastUsedPsu(psus));
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    /** Runs a journey in a fresh browser context whose TPP pages are a stub; closes it afterwards. */
    async function inChromium(journey: (page: Page, landing: () => Promise<URL>) => Promise<void>): Promise<void> {
      const { context, page, landing } = await tppContext(browser, TPP_ORIGIN);
      try {
        await journey(page, landing);
      } finally {
        await context.close();
      }
    }

    /** The PSU follows the TPP's link to the bank and logs in with username and password. */
    async function logIn(page: Page, scaRedirect: string): Promise<void> {
      await page.goto(scaRedirect);
      await page.getByRole('heading', { name: 'Log in to continue' }).waitFor();
      await page.getByLabel('Username').fill(psu.username);
      await page.getByLabel('Password').fill(psu.password);
      await page.getByRole('button', { name: 'Continue' }).click();
    }

    /** The second factor of an account-access SCA, on a page of its own. */
    async function enterOneTimeCode(page: Page): Promise<void> {
      await page.getByRole('heading', { name: 'Enter your one-time code' }).waitFor();
      await page.getByLabel('One-time code').fill(await unusedOneTimeCode(psu.totpSecret));
      await page.getByRole('button', { name: 'Continue' }).click();
    }

    /** The browser was sent to `uri` and shows the TPP's page there, not the bank's. */
    async function assertBackAtTpp(page: Page, landing: () => Promise<URL>, uri: string): Promise<void> {
      await page.waitForURL(uri);
      assert.equal((await landing()).href, uri);
      assert.ok(await page.getByText('Back at the TPP').isVisible(), 'the TPP\'s page is shown');
    }

    /** The account-access consent screen: who asks, and the PSU's account, ticked because the TPP named it. */
    async function assertAccountConsentScreen(page: Page): Promise<void> {
      await page.getByRole('heading', { name: 'Share your account information' }).waitFor();
      assert.equal(await page.locator('.who').textContent(), `${ORGANISATION} is asking to see information from your accounts.`);
      const accounts = page.getByRole('checkbox');
      assert.equal(await accounts.count(), 1, 'only the account the TPP named is offered');
      assert.equal(await accounts.getAttribute('value'), accountId);
      assert.ok(await accounts.isChecked(), 'the account the TPP named is ticked');
      assert.ok(await page.getByText(`ending ••••${iban.slice(-4)}`).isVisible(), 'the account is described by the end of its IBAN');
    }

    const consentStatusOf = async (consentId: string) => (await tpp.request(`${XS2A}/consents/${consentId}/status`)).json<{ consentStatus: string }>().consentStatus;

    it('AIS: consent for the PSU’s IBAN → login, one-time code, consent screen, Approve → back at the TPP → valid; accounts, balances and transactions read', async () => {
      const created = await tpp.createConsent(detailedConsent([iban]));
      assert.equal(created.status, 201, created.text);
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();

      await inChromium(async (page, landing) => {
        await logIn(page, _links['scaRedirect']!.href);
        await enterOneTimeCode(page);
        await assertAccountConsentScreen(page);
        await page.getByRole('button', { name: 'Approve' }).click();
        await assertBackAtTpp(page, landing, XS2A_REDIRECT_URI);
      });

      assert.equal(await consentStatusOf(consentId), 'valid');
      const read = (pathname: string) => tpp.request(`${XS2A}${pathname}`, { headers: { 'consent-id': consentId }, psuPresent: true });
      const list = await read('/accounts');
      assert.equal(list.status, 200, list.text);
      const accounts = list.json<{ accounts: Array<{ resourceId: string; iban: string }> }>().accounts;
      assert.deepEqual(accounts.map((account) => account.iban), [iban]);
      const balances = await read(`/accounts/${accounts[0]!.resourceId}/balances`);
      assert.equal(balances.status, 200, balances.text);
      const transactions = await read(`/accounts/${accounts[0]!.resourceId}/transactions?bookingStatus=both&dateFrom=2000-01-01`);
      assert.equal(transactions.status, 200, transactions.text);
    });

    it('PIS: SEPA credit transfer → the PSU sees amount and payee, enters the code on that screen, Approve → back at the TPP → ACSC', async () => {
      const created = await tpp.request(`${XS2A}/payments/sepa-credit-transfers`, {
        body: {
          endToEndIdentification: `e2e-${randomUUID().slice(0, 8)}`,
          debtorAccount: { iban },
          instructedAmount: { currency: 'EUR', amount: '12.34' },
          creditorAccount: { iban: CREDITOR_IBAN },
          creditorName: PAYEE,
          remittanceInformationUnstructured: 'Invoice 4711',
        },
        psuPresent: true,
        headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI },
      });
      assert.equal(created.status, 201, created.text);
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();

      await inChromium(async (page, landing) => {
        await logIn(page, _links['scaRedirect']!.href);
        // Dynamic linking: no separate code page — the code is typed next to the payment it confirms.
        await page.getByRole('heading', { name: 'Confirm your payment' }).waitFor();
        assert.ok(await page.getByText('€12.34', { exact: true }).isVisible(), 'the amount is shown');
        assert.ok(await page.getByText(PAYEE, { exact: true }).isVisible(), 'the payee is shown');
        assert.ok(await page.getByText(`Your code confirms this payment of €12.34 to ${PAYEE}.`).isVisible(), 'the code is bound to amount and payee');
        const debtor = page.getByRole('radio');
        assert.equal(await debtor.count(), 1, 'only the debtor account the TPP named is offered');
        assert.equal(await debtor.getAttribute('value'), accountId);
        assert.ok(await debtor.isChecked());
        await page.getByLabel('One-time code').fill(await unusedOneTimeCode(psu.totpSecret));
        await page.getByRole('button', { name: 'Approve' }).click();
        await assertBackAtTpp(page, landing, XS2A_REDIRECT_URI);
      });

      const status = async () => (await tpp.request(`${XS2A}/payments/sepa-credit-transfers/${paymentId}/status`)).json<{ transactionStatus: string }>().transactionStatus;
      await waitFor(async () => (await status()) === 'ACSC', `payment ${paymentId} settled`);
    });

    it('PIS cancellation: a periodic payment set up → DELETE 202 → the PSU confirms the cancellation in Chromium (login, one-time code, Approve) → back at the TPP → CANC', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const created = await tpp.request(`${XS2A}/periodic-payments/sepa-credit-transfers`, {
        body: { debtorAccount: { iban }, instructedAmount: { currency: 'EUR', amount: '25.00' }, creditorAccount: { iban: CREDITOR_IBAN }, creditorName: PAYEE, startDate: today, frequency: 'Monthly' },
        psuPresent: true,
        headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI },
      });
      assert.equal(created.status, 201, created.text);
      const { paymentId, _links } = created.json<{ paymentId: string; _links: Links }>();
      const path = `${XS2A}/periodic-payments/sepa-credit-transfers/${paymentId}`;
      const status = async () => (await tpp.request(`${path}/status`)).json<{ transactionStatus: string }>().transactionStatus;
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      await waitFor(async () => (await status()) === 'ACSP', `periodic payment ${paymentId} set up`);

      const deleted = await tpp.request(path, { method: 'DELETE' });
      assert.equal(deleted.status, 202, deleted.text);
      const started = await tpp.request(new URL(deleted.json<{ _links: Links }>()._links['startAuthorisation']!.href).pathname, { method: 'POST', headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI } });
      assert.equal(started.status, 201, started.text);
      const cancellation = started.json<{ authorisationId: string; _links: Links }>();
      await untilOneTimeCodeUnused(psu.totpSecret);

      await inChromium(async (page, landing) => {
        await logIn(page, cancellation._links['scaRedirect']!.href);
        await enterOneTimeCode(page);
        await page.getByRole('heading', { name: 'Stop a standing order' }).waitFor();
        assert.equal(await page.locator('.who').textContent(), `${ORGANISATION} is asking to stop this standing order: no further payment will be made.`);
        assert.ok(await page.getByText('€25.00', { exact: true }).isVisible(), 'the amount is shown');
        assert.ok(await page.getByText(PAYEE, { exact: true }).isVisible(), 'the payee is shown');
        await page.getByRole('button', { name: 'Approve' }).click();
        await assertBackAtTpp(page, landing, XS2A_REDIRECT_URI);
      });

      assert.equal(await status(), 'CANC');
      assert.deepEqual((await tpp.request(`${path}/cancellation-authorisations/${cancellation.authorisationId}`)).json(), { scaStatus: 'finalised' });
    });

    it('AIS denied: the PSU presses Deny on the consent screen → the browser goes to the nok URI, consentStatus rejected', async () => {
      const created = await tpp.createConsent(detailedConsent([iban]));
      assert.equal(created.status, 201, created.text);
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();

      await inChromium(async (page, landing) => {
        await logIn(page, _links['scaRedirect']!.href);
        await enterOneTimeCode(page);
        await assertAccountConsentScreen(page);
        await page.getByRole('button', { name: 'Deny' }).click();
        await assertBackAtTpp(page, landing, XS2A_NOK_REDIRECT_URI);
      });

      assert.equal(await consentStatusOf(consentId), 'rejected');
    });
  });
}
