import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { formatAmount } from '../../src/core/index.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { waitFor } from '../support/wait-for.ts';
import { assertObResponse } from '../support/openapi.ts';
import type { HttpsResponse } from '../support/https-client.ts';
import { AISP, aisGet, grantAccountAccess, sandboxPsu, type SandboxPsuIdentity } from '../support/ais-access.ts';
import { PISP, pisGet, pisPost } from '../support/pis-access.ts';

type Psu = SandboxPsuLogin;

/**
 * A domestic payment end to end, as a TPP and a PSU do it: the TPP stages the consent over the OB
 * API, the PSU logs in on the bank's own pages in Chromium and approves the payment with the
 * one-time code shown next to amount and payee, the TPP exchanges the code for a token, submits the
 * signed, idempotent payment, sees it settle, and its AIS view of the debtor shows the debit.
 */
for (const dialect of DIALECTS) {
  describe(`domestic payment in Chromium (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;
    let tpp: TppClient;
    let psus: Psu[];
    let alice: SandboxPsuIdentity;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      browser = await launchBrowser(app.portico.tls.certPem);
      tpp = await TppClient.onboard(app, 'Chromium Pay Ltd');
      await tpp.register();
      psus = await createSandboxModule({ db: app.portico.database.db }).listPsus();
      alice = await sandboxPsu(app, 0);
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    async function gbpAccount(psu: SandboxPsuIdentity) {
      for (const id of psu.accountIds) {
        const account = await app.portico.core.getAccount(id);
        if (account?.currency === 'GBP' && account.status === 'Enabled' && account.sortCode && account.accountNumber) return account;
      }
      throw new Error(`PSU ${psu.psuId} has no GBP account`);
    }

    const checked = (method: string, pathname: string, response: HttpsResponse): HttpsResponse => {
      assertObResponse('payment-initiation', method, pathname, response);
      return response;
    };

    it('consent → PSU approves with the one-time code → code for token → signed submission → ACCC → the AIS balance drops by the amount', async () => {
      const aliceGbp = await gbpAccount(alice);
      const bobGbp = await gbpAccount(await sandboxPsu(app, 1));

      // The TPP's AIS view of the debtor account (an account-access consent the PSU granted).
      const ais = await grantAccountAccess(app, tpp, alice, { permissions: ['ReadAccountsDetail', 'ReadBalances'], accountIds: [aliceGbp.id] });
      const accountRef = (await aisGet(tpp, ais.token, `${AISP}/accounts`)).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId;
      const aisBooked = async () => {
        const response = await aisGet(tpp, ais.token, `${AISP}/accounts/${accountRef}/balances`);
        assert.equal(response.status, 200, response.text);
        const booked = response.json<{ Data: { Balance: Array<{ Type: string; CreditDebitIndicator: string; Amount: { Amount: string } }> } }>().Data.Balance.find((b) => b.Type === 'ITBD')!;
        return `${booked.CreditDebitIndicator === 'Debit' ? '-' : ''}${booked.Amount.Amount}`;
      };
      const before = await aisBooked();
      const bookedBefore = (await app.portico.core.getBalances(aliceGbp.id))!.bookedMinor;
      assert.equal(before, formatAmount(bookedBefore, 'GBP'));

      // 1. The TPP stages the consent: client-credentials token, signed, idempotent.
      const consent = {
        Data: {
          Initiation: {
            InstructionIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            LocalInstrument: 'UK.OBIE.FPS',
            InstructedAmount: { Amount: '23.45', Currency: 'GBP' },
            CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${bobGbp.sortCode}${bobGbp.accountNumber}`, Name: 'Bob' },
            RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: 'E2E-INVOICE-7' } }] },
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty' },
      };
      const staged = checked('POST', `${PISP}/domestic-payment-consents`, await pisPost(tpp, '/domestic-payment-consents', { token: await tpp.clientCredentialsToken('payments'), body: JSON.stringify(consent) }));
      assert.equal(staged.status, 201, staged.text);
      const consentId = staged.json<{ Data: { ConsentId: string; Status: string } }>().Data.ConsentId;

      // 2. The PSU, in Chromium on the bank's pages: log in, see amount and payee, pick the account, approve with the code.
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
        await page.getByRole('heading', { name: 'Confirm your payment' }).waitFor({ timeout: 10_000 }).catch(async () => assert.fail(await page.content()));
        assert.ok(await page.getByText('£23.45').first().isVisible(), 'the amount is shown');
        assert.ok(await page.getByText('Bob').first().isVisible(), 'the payee is shown');
        const radios = page.getByRole('radio');
        const values: Array<string | null> = [];
        for (let i = 0; i < (await radios.count()); i++) values.push(await radios.nth(i).getAttribute('value'));
        const debtor = values.indexOf(aliceGbp.id);
        assert.ok(debtor >= 0, `the PSU's GBP account is offered: ${values.join(', ')}`);
        await radios.nth(debtor).check();
        await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
        await page.getByRole('button', { name: 'Approve' }).click();
        const landed = await landing();
        const fragment = new URLSearchParams(landed.hash.slice(1));
        assert.equal(fragment.get('state'), state);
        assert.ok(fragment.get('code'), landed.toString());

        // 3. The TPP exchanges the code (mTLS, PKCE) for the PSU's payments token.
        const exchanged = await tpp.exchangeCode(fragment.get('code')!, verifier);
        assert.equal(exchanged.status, 200, exchanged.text);
        const tokens = exchanged.json<{ access_token: string; id_token: string }>();
        assert.equal(TppClient.claimsOf(tokens.id_token)['openbanking_intent_id'], consentId);

        const ccToken = await tpp.clientCredentialsToken('payments');
        const consentNow = checked('GET', `${PISP}/domestic-payment-consents/${consentId}`, await pisGet(tpp, `/domestic-payment-consents/${consentId}`, ccToken));
        assert.equal(consentNow.json<{ Data: { Status: string; Debtor?: { Identification: string } } }>().Data.Status, 'AUTH');
        assert.equal(consentNow.json<{ Data: { Debtor?: { Identification: string } } }>().Data.Debtor?.Identification, `${aliceGbp.sortCode}${aliceGbp.accountNumber}`, 'paid from the account the PSU picked');

        // 4. The TPP submits the payment: the PSU's token, x-jws-signature of the body, an idempotency key.
        const submission = JSON.stringify({ Data: { ConsentId: consentId, Initiation: consent.Data.Initiation }, Risk: consent.Risk });
        const submitted = checked('POST', `${PISP}/domestic-payments`, await pisPost(tpp, '/domestic-payments', { token: tokens.access_token, body: submission, idempotencyKey: randomUUID() }));
        assert.equal(submitted.status, 201, submitted.text);
        const paymentId = submitted.json<{ Data: { DomesticPaymentId: string } }>().Data.DomesticPaymentId;

        // 5. It settles on us (the creditor banks here).
        let status = '';
        await waitFor(async () => {
          const read = checked('GET', `${PISP}/domestic-payments/${paymentId}`, await pisGet(tpp, `/domestic-payments/${paymentId}`, ccToken));
          assert.equal(read.status, 200, read.text);
          status = read.json<{ Data: { Status: string } }>().Data.Status;
          return status !== 'PDNG';
        }, 'the payment to settle');
        assert.equal(status, 'ACCC', 'AcceptedCreditSettlementCompleted');

        // 6. The TPP's AIS view shows the balance lower by exactly the amount.
        const expected = formatAmount(bookedBefore - 2345n, 'GBP');
        await waitFor(async () => (await aisBooked()) === expected, 'the AIS balance to show the payment');
        assert.equal(await aisBooked(), expected);
      } finally {
        await context.close();
      }
    });
  });
}
