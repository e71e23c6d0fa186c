import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { waitFor } from '../support/wait-for.ts';
import { assertObResponse } from '../support/openapi.ts';
import type { HttpsResponse } from '../support/https-client.ts';
import { sandboxPsu } from '../support/ais-access.ts';
import { gbpAccount, PISP, pisGet, pisPost } from '../support/pis-access.ts';

type Psu = SandboxPsuLogin;

/**
 * A file payment end to end: the TPP stages the consent and uploads its file over the OB API, the
 * PSU, on the bank's pages in Chromium, is shown the whole file (its number of payments and total)
 * and approves it with the one-time code, the TPP submits the file payment with the PSU's token and
 * every payment of the file settles.
 */
for (const dialect of DIALECTS) {
  describe(`file payment in Chromium (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;
    let tpp: TppClient;
    let psus: Psu[];

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      browser = await launchBrowser(app.portico.tls.certPem);
      tpp = await TppClient.onboard(app, 'Chromium Payroll Ltd');
      await tpp.register();
      psus = await createSandboxModule({ db: app.portico.database.db }).listPsus();
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    const checked = (method: string, pathname: string, response: HttpsResponse): HttpsResponse => {
      assertObResponse('payment-initiation', method, pathname, response);
      return response;
    };

    it('consent + file → the PSU sees 2 payments totalling 30.00 GBP and approves with the code → submission → INCO, the debtor down by 30.00', async () => {
      const alice = await sandboxPsu(app, 0);
      const aliceGbp = await gbpAccount(app, alice);
      const bobGbp = await gbpAccount(app, await sandboxPsu(app, 1));
      const creditor = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${bobGbp.sortCode}${bobGbp.accountNumber}`, Name: 'Bob' };
      const file = JSON.stringify({
        Data: {
          DomesticPayments: ['12.50', '17.50'].map((amount, index) => ({
            InstructionIdentification: `E2E-FILE-${index}`,
            EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            InstructedAmount: { Amount: amount, Currency: 'GBP' },
            CreditorAccount: creditor,
          })),
        },
      });
      const Initiation = {
        FileType: 'UK.OBIE.PaymentInitiation.4.0',
        FileHash: createHash('sha256').update(file).digest('base64'),
        FileReference: 'E2E-PAYROLL',
        NumberOfTransactions: '2',
        ControlSum: 30,
      };
      const ccToken = await tpp.clientCredentialsToken('payments');
      const staged = checked('POST', `${PISP}/file-payment-consents`, await pisPost(tpp, '/file-payment-consents', { token: ccToken, body: JSON.stringify({ Data: { Initiation } }) }));
      assert.equal(staged.status, 201, staged.text);
      const consentId = staged.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
      const uploaded = checked('POST', `${PISP}/file-payment-consents/${consentId}/file`, await pisPost(tpp, `/file-payment-consents/${consentId}/file`, { token: ccToken, body: file }));
      assert.equal(uploaded.status, 200, uploaded.text);

      const psu = psus[0]!;
      const { verifier, challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      try {
        const url = await tpp.fapi1AuthorisationUrl(consentId, state, randomUUID(), challenge, { scope: 'openid payments' });
        await page.goto(url.replace('scope=openid+accounts', 'scope=openid+payments'));
        await page.getByLabel('Username').fill(psu.username);
        await page.getByLabel('Password').fill(psu.password);
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByRole('heading', { name: 'Confirm your payment file' }).waitFor({ timeout: 10_000 }).catch(async () => assert.fail(await page.content()));
        const details = await page.locator('dl.details').innerText();
        assert.match(details, /Number of payments\s+2/);
        assert.match(details, /Total\s+£30\.00/);
        assert.match(details, /File reference\s+E2E-PAYROLL/);
        assert.ok(await page.getByText('Your code confirms these 2 payments totalling £30.00.').isVisible());
        const radios = page.getByRole('radio');
        const values: Array<string | null> = [];
        for (let i = 0; i < (await radios.count()); i++) values.push(await radios.nth(i).getAttribute('value'));
        await radios.nth(values.indexOf(aliceGbp.id)).check();
        await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
        await page.getByRole('button', { name: 'Approve' }).click();
        const fragment = new URLSearchParams((await landing()).hash.slice(1));
        assert.equal(fragment.get('state'), state);
        const exchanged = await tpp.exchangeCode(fragment.get('code')!, verifier);
        assert.equal(exchanged.status, 200, exchanged.text);
        const psuToken = exchanged.json<{ access_token: string }>().access_token;

        const bookedBefore = (await app.portico.core.getBalances(aliceGbp.id))!.bookedMinor;
        const submitted = checked('POST', `${PISP}/file-payments`, await pisPost(tpp, '/file-payments', { token: psuToken, body: JSON.stringify({ Data: { ConsentId: consentId, Initiation } }) }));
        assert.equal(submitted.status, 201, submitted.text);
        const id = submitted.json<{ Data: { FilePaymentId: string } }>().Data.FilePaymentId;
        let status = '';
        await waitFor(async () => {
          const read = checked('GET', `${PISP}/file-payments/${id}`, await pisGet(tpp, `/file-payments/${id}`, ccToken));
          status = read.json<{ Data: { Status: string } }>().Data.Status;
          return status !== 'PDNG';
        }, 'the file payment to be executed');
        assert.equal(status, 'INCO');
        assert.equal(bookedBefore - (await app.portico.core.getBalances(aliceGbp.id))!.bookedMinor, 3000n);
      } finally {
        await context.close();
      }
    });
  });
}
