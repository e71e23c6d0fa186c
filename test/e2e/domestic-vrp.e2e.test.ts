import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { JSONWebKeySet } from 'jose';
import { consentsOf } from '../support/consents-module.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import type { TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import type { HttpsResponse } from '../support/https-client.ts';
import { expectObError } from '../support/ob-errors.ts';
import { checkPisResponse, PISP, pisPost, startPisFixture, sweepingVrpBody, type ObCreditor } from '../support/pis-access.ts';

type Psu = SandboxPsuLogin;

/**
 * Variable recurring payments end to end, as a TPP and a PSU do them: the TPP stages a VRP consent,
 * the PSU sees every control parameter on the bank's page in Chromium and approves them with the
 * one-time code, the TPP makes a VRP with the token it gets, the PSU stops the recurring payments
 * in the access dashboard, and the TPP's next VRP is refused.
 */
for (const dialect of DIALECTS) {
  describe(`domestic VRP in Chromium (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;
    let tpp: TppClient;
    let psu: Psu;
    let aliceGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;

    before(async () => {
      ({ app, tpp, aliceGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Chromium Sweep Ltd', other: 'Other Chromium Ltd' }));
      browser = await launchBrowser(app.portico.tls.certPem);
      psu = (await createSandboxModule({ db: app.portico.database.db }).listPsus())[0]!;
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    const checked = (method: string, pathname: string, response: HttpsResponse) => checkPisResponse('vrp', bankJwks, method, pathname, response);

    it('VRP consent → the PSU sees its limits and approves → the TPP makes a VRP → the PSU stops it in the dashboard → the next VRP is refused', async () => {
      // 1. The TPP stages the VRP consent: client-credentials token, signed, idempotent.
      const consent = {
        Data: {
          ControlParameters: {
            MaximumIndividualAmount: { Amount: '80.00', Currency: 'GBP' },
            PeriodicLimits: [{ PeriodType: 'Month', PeriodAlignment: 'Calendar', Amount: '400.00', Currency: 'GBP' }],
            VRPType: ['UK.OBIE.VRPType.Sweeping'],
            PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
          },
          Initiation: { CreditorAccount: bobCreditor, RemittanceInformation: { Unstructured: ['Savings sweep'] } },
        },
        Risk: { PaymentContextCode: 'TransferToSelf' },
      };
      const staged = await checked('POST', `${PISP}/domestic-vrp-consents`, await pisPost(tpp, '/domestic-vrp-consents', { token: await tpp.clientCredentialsToken('payments'), body: JSON.stringify(consent) }));
      assert.equal(staged.status, 201, staged.text);
      const consentId = staged.json<{ Data: { ConsentId: string } }>().Data.ConsentId;

      const { verifier, challenge } = TppClient.pkce();
      const state = randomUUID();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      try {
        // 2. The PSU, in Chromium on the bank's pages: log in, see every control parameter, pick the account, approve with the code.
        const url = await tpp.fapi1AuthorisationUrl(consentId, state, randomUUID(), challenge, { scope: 'openid payments' });
        await page.goto(url.replace('scope=openid+accounts', 'scope=openid+payments'));
        await page.getByLabel('Username').fill(psu.username);
        await page.getByLabel('Password').fill(psu.password);
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByRole('heading', { name: 'Allow recurring payments' }).waitFor({ timeout: 10_000 }).catch(async () => assert.fail(await page.content()));
        const id = bobCreditor.Identification;
        for (const shown of ['£80.00', 'Up to £400.00 each calendar month', 'Bob', `${id.slice(0, 2)}-${id.slice(2, 4)}-${id.slice(4, 6)} ${id.slice(6)}`, 'Savings sweep', 'you cancel them']) {
          assert.ok(await page.getByText(shown, { exact: true }).first().isVisible(), `${shown} is shown`);
        }
        assert.ok(await page.getByText('Your code confirms payments of up to £80.00 each, within the limits above, to Bob.').isVisible());
        await page.getByRole('radio', { name: /.+/ }).and(page.locator(`[value="${aliceGbp}"]`)).check();
        await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
        await page.getByRole('button', { name: 'Approve' }).click();
        const fragment = new URLSearchParams((await landing()).hash.slice(1));
        assert.equal(fragment.get('state'), state);
        const exchanged = await tpp.exchangeCode(fragment.get('code')!, verifier);
        assert.equal(exchanged.status, 200, exchanged.text);
        const token = exchanged.json<{ access_token: string }>().access_token;
        const authorised = (await consentsOf(app.portico.database.db).find(consentId))!;
        assert.equal(authorised.status, 'authorised');
        assert.ok(authorised.scaBinding, 'the authentication is bound to the control parameters shown');

        // 3. The TPP makes a VRP under the consent with the PSU's token.
        const vrp = (amount: string) => JSON.stringify(sweepingVrpBody(consentId, consent, { amount, creditor: bobCreditor }));
        const made = await checked('POST', `${PISP}/domestic-vrps`, await pisPost(tpp, '/domestic-vrps', { token, body: vrp('25.00') }));
        assert.equal(made.status, 201, made.text);

        // 4. The PSU stops the recurring payments in the access dashboard. The grant's revocation
        // travels by the outbox; held back here, so the refusal below is the consent's own.
        const dashboard = await context.newPage();
        await dashboard.goto(`${app.base}/psu/login`);
        await dashboard.getByLabel('Username').fill(psu.username);
        await dashboard.getByLabel('Password').fill(psu.password);
        await dashboard.getByRole('button', { name: 'Continue' }).click();
        // The code of this time step was used moments ago (and is refused again); the next step's is accepted (RFC 6238 §5.2 window).
        await dashboard.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date(Date.now() + 30_000)));
        await dashboard.getByRole('button', { name: 'Continue' }).click();
        await dashboard.getByRole('heading', { name: 'Connected apps' }).waitFor();
        const entry = dashboard.getByRole('region', { name: 'Recurring payments by Chromium Sweep Ltd' });
        assert.ok(await entry.getByText('Up to £400.00 each calendar month').isVisible(), 'the limits');
        assert.ok(await entry.getByText('£25.00 of £400.00 this calendar month').isVisible(), 'what this period has used');
        await app.portico.outbox.stop();
        try {
          await entry.getByRole('button', { name: 'Stop recurring payments by Chromium Sweep Ltd' }).click();
          // A confirmation step first (plain forms, no script).
          await dashboard.getByRole('heading', { name: 'Stop recurring payments by Chromium Sweep Ltd?' }).waitFor();
          await dashboard.getByRole('button', { name: 'Stop recurring payments', exact: true }).click();
          await dashboard.getByText('Recurring payments by Chromium Sweep Ltd have stopped.').waitFor();
          const history = dashboard.getByRole('region', { name: 'History' });
          assert.ok(await history.getByRole('region', { name: 'Recurring payments by Chromium Sweep Ltd' }).getByText('Stopped by you', { exact: true }).isVisible());

          // 5. The TPP's next VRP is refused, with the OB error for a consent no longer authorised.
          const refused = await checked('POST', `${PISP}/domestic-vrps`, await pisPost(tpp, '/domestic-vrps', { token, body: vrp('5.00') }));
          expectObError(refused, 403, 'U009');
        } finally {
          app.portico.outbox.start();
        }
        assert.equal((await consentsOf(app.portico.database.db).find(consentId))!.revokedBy, 'PSU');
      } finally {
        await context.close();
      }
    });
  });
}
