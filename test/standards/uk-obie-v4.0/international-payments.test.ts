import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { internalAccountId } from '../../../src/core/adapters/ledger/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { DIALECTS } from '../../support/backends.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import { expectObError } from '../../support/ob-errors.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { SandboxPsuIdentity } from '../../support/ais-access.ts';
import { authorisedConsent, checkPisResponse, PISP, pisGet, pisPost, startPisFixture, type ResponseCheck } from '../../support/pis-access.ts';

interface ObExchangeRate {
  UnitCurrency: string;
  ExchangeRate: number;
  RateType: string;
  ContractIdentification?: string;
  ExpirationDateTime?: string;
}

interface ObConsentResponse {
  Data: { ConsentId: string; Status: string; ExchangeRateInformation?: ObExchangeRate; Initiation: Record<string, unknown> };
}

interface ObPaymentResponse {
  Data: { InternationalPaymentId: string; ConsentId: string; Status: string; ExchangeRateInformation?: ObExchangeRate; Initiation: Record<string, unknown> };
}

/** A creditor abroad (the ECBS example IBAN): no account of the built-in bank, paid out through clearing. */
const CREDITOR_ABROAD = { SchemeName: 'UK.OBIE.IBAN', Identification: 'DE89370400440532013000', Name: 'Empfänger GmbH' };

for (const dialect of DIALECTS) {
  describe(`OB v4.0 international payments (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bankJwks: JSONWebKeySet;
    const db = () => app.portico.database.db;

    before(async () => {
      ({ app, tpp, alice, aliceGbp, bankJwks } = await startPisFixture(dialect, { tpp: 'Cross Border Pay Ltd', other: 'Other Payments Ltd' }));
    });
    after(async () => {
      await app?.close();
    });

    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);

    function consentBody(amount: string, exchangeRate?: object) {
      return {
        Data: {
          Initiation: {
            InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            CurrencyOfTransfer: 'EUR',
            InstructedAmount: { Amount: amount, Currency: 'EUR' },
            ...(exchangeRate ? { ExchangeRateInformation: exchangeRate } : {}),
            CreditorAccount: CREDITOR_ABROAD,
            RemittanceInformation: { Unstructured: ['Invoice 2026-118'] },
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty' },
      };
    }
    type ConsentBody = ReturnType<typeof consentBody>;
    const submissionBody = (consentId: string, consent: ConsentBody) => ({ Data: { ConsentId: consentId, Initiation: consent.Data.Initiation }, Risk: consent.Risk });

    async function stageConsent(body: object) {
      return checked(
        'POST',
        `${PISP}/international-payment-consents`,
        await pisPost(tpp, '/international-payment-consents', { token: await tpp.clientCredentialsToken('payments'), body: JSON.stringify(body) }),
      );
    }

    const submit = (psuToken: string, body: object) =>
      pisPost(tpp, '/international-payments', { token: psuToken, body: JSON.stringify(body) }).then((r) => checked('POST', `${PISP}/international-payments`, r));

    async function paymentStatus(paymentId: string): Promise<ObPaymentResponse> {
      const path = `/international-payments/${paymentId}`;
      const response = await checked('GET', `${PISP}${path}`, await pisGet(tpp, path, await tpp.clientCredentialsToken('payments')));
      assert.equal(response.status, 200, response.text);
      return response.json<ObPaymentResponse>();
    }

    const balanceOf = async (accountId: string) => (await app.portico.core.getBalances(accountId))!.bookedMinor;
    const paymentsOf = async (consentId: string) => (await db().selectFrom('payments').select('id').where('consent_id', '=', consentId).execute()).length;

    it('a GBP account pays EUR 100.00 at the Actual rate 1.17: debited exactly GBP 85.47 (100 / 1.17, half-even), out through GBP clearing (ACSC)', async () => {
      const body = consentBody('100.00', { UnitCurrency: 'GBP', RateType: 'Actual' });
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/international-payment-consents', body, psu: alice, accountId: aliceGbp });
      const staged = await checked('GET', `${PISP}/international-payment-consents/${consentId}`, await pisGet(tpp, `/international-payment-consents/${consentId}`, await tpp.clientCredentialsToken('payments')));
      assert.equal(staged.status, 200, staged.text);
      const consent = staged.json<ObConsentResponse>();
      assert.equal(consent.Data.Status, 'AUTH');
      assert.deepEqual(consent.Data.Initiation, body.Data.Initiation);
      const rate = consent.Data.ExchangeRateInformation!;
      assert.equal(rate.UnitCurrency, 'GBP');
      assert.equal(rate.ExchangeRate, 1.17);
      assert.equal(rate.RateType, 'Actual');
      assert.match(rate.ContractIdentification!, /^fx1_GBPEUR_1\.17_/);
      assert.ok(rate.ExpirationDateTime);

      const funds = await checked(
        'GET',
        `${PISP}/international-payment-consents/${consentId}/funds-confirmation`,
        await pisGet(tpp, `/international-payment-consents/${consentId}/funds-confirmation`, psuToken),
      );
      assert.equal(funds.status, 200, funds.text);
      assert.equal(funds.json<{ Data: { FundsAvailableResult: { FundsAvailable: boolean } } }>().Data.FundsAvailableResult.FundsAvailable, true);

      const clearing = internalAccountId('clearing', 'GBP');
      const [aliceBefore, clearingBefore] = [await balanceOf(aliceGbp), await balanceOf(clearing)];
      const submitted = await submit(psuToken, submissionBody(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const payment = submitted.json<ObPaymentResponse>();
      assert.deepEqual(payment.Data.Initiation, body.Data.Initiation);
      assert.equal(payment.Data.ExchangeRateInformation?.ExchangeRate, 1.17);
      assert.equal(payment.Data.ExchangeRateInformation?.ContractIdentification, rate.ContractIdentification);
      const paymentId = payment.Data.InternationalPaymentId;

      let status = payment;
      await waitFor(async () => {
        status = await paymentStatus(paymentId);
        // Sent out through clearing (ACSP), then settled by the scheme (ACSC).
        return !['PDNG', 'ACSP'].includes(status.Data.Status);
      }, `payment ${paymentId} to be executed and settled`);
      assert.equal(status.Data.Status, 'ACSC');
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 8547n);
      assert.equal((await balanceOf(clearing)) - clearingBefore, 8547n);
      const row = await db().selectFrom('payments').select(['amount_minor', 'currency', 'creditor_account_id']).where('id', '=', paymentId).executeTakeFirstOrThrow();
      assert.deepEqual({ amount: BigInt(row.amount_minor), currency: row.currency, creditor: row.creditor_account_id }, { amount: 8547n, currency: 'GBP', creditor: null });

      const details = await checked(
        'GET',
        `${PISP}/international-payments/${paymentId}/payment-details`,
        await pisGet(tpp, `/international-payments/${paymentId}/payment-details`, await tpp.clientCredentialsToken('payments')),
      );
      assert.equal(details.status, 200, details.text);
      const read = await checked('GET', `${PISP}/international-payment-consents/${consentId}`, await pisGet(tpp, `/international-payment-consents/${consentId}`, await tpp.clientCredentialsToken('payments')));
      assert.equal(read.json<ObConsentResponse>().Data.Status, 'COND');
    });

    it('OBIE conformance: OB-400-DOP-101600 International Payment consent with the minimal data set (InstructedAmount GBP, CurrencyOfTransfer USD) expects 201', async () => {
      // ob_4.0_payment_fca.json with data.json `minimalInternationalPaymentConsentV4`: the instructed
      // currency is the suite's domestic one, the currency of transfer another, no rate, no debtor, empty Risk.
      const response = await stageConsent({
        Data: {
          Initiation: {
            InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: 'e2e-internat-pay',
            CurrencyOfTransfer: 'USD',
            InstructedAmount: { Amount: '1.00', Currency: 'GBP' },
            CreditorAccount: CREDITOR_ABROAD,
          },
        },
        Risk: {},
      });
      assert.equal(response.status, 201, response.text);
      const consent = response.json<ObConsentResponse>();
      assert.equal(consent.Data.Status, 'AWAU');
      assert.match(consent.Data.ConsentId, /\S/);
      assert.deepEqual(consent.Data.ExchangeRateInformation, { UnitCurrency: 'GBP', ExchangeRate: 1.27, RateType: 'Indicative' });
    });

    it("InstructedAmount in the debtor account's currency (GBP 100.00 to EUR, Actual 1.17): debited exactly GBP 100.00, the rate on consent and payment, out through GBP clearing (ACSC)", async () => {
      const body = consentBody('100.00', { UnitCurrency: 'GBP', RateType: 'Actual' });
      body.Data.Initiation.InstructedAmount = { Amount: '100.00', Currency: 'GBP' };
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/international-payment-consents', body, psu: alice, accountId: aliceGbp });
      const staged = await checked('GET', `${PISP}/international-payment-consents/${consentId}`, await pisGet(tpp, `/international-payment-consents/${consentId}`, await tpp.clientCredentialsToken('payments')));
      const rate = staged.json<ObConsentResponse>().Data.ExchangeRateInformation!;
      assert.deepEqual([rate.UnitCurrency, rate.ExchangeRate, rate.RateType], ['GBP', 1.17, 'Actual']);
      const funds = await checked(
        'GET',
        `${PISP}/international-payment-consents/${consentId}/funds-confirmation`,
        await pisGet(tpp, `/international-payment-consents/${consentId}/funds-confirmation`, psuToken),
      );
      assert.equal(funds.json<{ Data: { FundsAvailableResult: { FundsAvailable: boolean } } }>().Data.FundsAvailableResult.FundsAvailable, true);

      const clearing = internalAccountId('clearing', 'GBP');
      const [aliceBefore, clearingBefore] = [await balanceOf(aliceGbp), await balanceOf(clearing)];
      const submitted = await submit(psuToken, submissionBody(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const payment = submitted.json<ObPaymentResponse>();
      assert.deepEqual(payment.Data.Initiation, body.Data.Initiation);
      assert.deepEqual([payment.Data.ExchangeRateInformation?.UnitCurrency, payment.Data.ExchangeRateInformation?.ExchangeRate, payment.Data.ExchangeRateInformation?.RateType], ['GBP', 1.17, 'Actual']);
      assert.equal(payment.Data.ExchangeRateInformation?.ContractIdentification, rate.ContractIdentification);
      const paymentId = payment.Data.InternationalPaymentId;
      let status = payment;
      await waitFor(async () => {
        status = await paymentStatus(paymentId);
        return !['PDNG', 'ACSP'].includes(status.Data.Status);
      }, `payment ${paymentId} to be executed and settled`);
      assert.equal(status.Data.Status, 'ACSC');
      assert.equal(status.Data.ExchangeRateInformation?.ExchangeRate, 1.17);
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 10_000n);
      assert.equal((await balanceOf(clearing)) - clearingBefore, 10_000n);
      const row = await db().selectFrom('payments').select(['amount_minor', 'currency']).where('id', '=', paymentId).executeTakeFirstOrThrow();
      assert.deepEqual({ amount: BigInt(row.amount_minor), currency: row.currency.trim() }, { amount: 10_000n, currency: 'GBP' });
    });

    it('Agreed: a contract the bank issued at its exact rate is accepted; a different rate under it is refused (400 U002)', async () => {
      const quoted = (await stageConsent(consentBody('10.00', { UnitCurrency: 'GBP', RateType: 'Actual' }))).json<ObConsentResponse>().Data.ExchangeRateInformation!;
      const agreed = await stageConsent(consentBody('10.00', { UnitCurrency: 'GBP', RateType: 'Agreed', ExchangeRate: 1.17, ContractIdentification: quoted.ContractIdentification }));
      assert.equal(agreed.status, 201, agreed.text);
      assert.equal(agreed.json<ObConsentResponse>().Data.ExchangeRateInformation?.RateType, 'Agreed');
      expectObError(await stageConsent(consentBody('10.00', { UnitCurrency: 'GBP', RateType: 'Agreed', ExchangeRate: 1.5, ContractIdentification: quoted.ContractIdentification })), 400, 'U002');
    });

    it("a repeat under the same idempotency key gets its payment, even once the consent's rate contract no longer stands", async () => {
      const body = consentBody('12.00', { UnitCurrency: 'GBP', RateType: 'Actual' });
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/international-payment-consents', body, psu: alice, accountId: aliceGbp });
      const submission = JSON.stringify(submissionBody(consentId, body));
      const idempotencyKey = randomUUID();
      const send = () => pisPost(tpp, '/international-payments', { token: psuToken, body: submission, idempotencyKey }).then((r) => checked('POST', `${PISP}/international-payments`, r));
      const first = await send();
      assert.equal(first.status, 201, first.text);
      // The consent's rate contract stops standing (as when it expires): a new payment could no
      // longer be priced, but the repeat must not be priced again — it is the payment already made.
      const row = await db().selectFrom('payment_exchange_rates').select('terms').where('owner_id', '=', consentId).executeTakeFirstOrThrow();
      const terms = (typeof row.terms === 'string' ? JSON.parse(row.terms) : row.terms) as Record<string, unknown>;
      await db().updateTable('payment_exchange_rates').set({ terms: JSON.stringify({ ...terms, contractIdentification: 'fx1_withdrawn' }) }).where('owner_id', '=', consentId).execute();
      const repeat = await send();
      assert.equal(repeat.status, 201, repeat.text);
      const id = (response: typeof first) => response.json<ObPaymentResponse>().Data.InternationalPaymentId;
      assert.equal(id(repeat), id(first));
      assert.equal(await paymentsOf(consentId), 1);
    });

    describe('attacks', () => {
      it('Agreed rate with a forged contract id (better rate, MAC copied): 400 U002, no consent', async () => {
        const quoted = (await stageConsent(consentBody('10.00', { UnitCurrency: 'GBP', RateType: 'Actual' }))).json<ObConsentResponse>().Data.ExchangeRateInformation!;
        const forged = quoted.ContractIdentification!.replace('_1.17_', '_1.5_');
        const before = (await db().selectFrom('consents').select('id').execute()).length;
        expectObError(await stageConsent(consentBody('10.00', { UnitCurrency: 'GBP', RateType: 'Agreed', ExchangeRate: 1.5, ContractIdentification: forged })), 400, 'U002');
        const invented = `fx1_GBPEUR_1.5_${Date.now()}_${Date.now() + 3_600_000}_${'0'.repeat(32)}`;
        expectObError(await stageConsent(consentBody('10.00', { UnitCurrency: 'GBP', RateType: 'Agreed', ExchangeRate: 1.5, ContractIdentification: invented })), 400, 'U002');
        assert.equal((await db().selectFrom('consents').select('id').execute()).length, before);
      });

      it("attack: an amount instructed in a third currency (USD to EUR) authorised on a GBP account: the submission is 400 U002, nothing debited", async () => {
        const body = consentBody('10.00');
        body.Data.Initiation.InstructedAmount = { Amount: '10.00', Currency: 'USD' };
        const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/international-payment-consents', body, psu: alice, accountId: aliceGbp });
        const aliceBefore = await balanceOf(aliceGbp);
        expectObError(await submit(psuToken, submissionBody(consentId, body)), 400, 'U002');
        assert.equal(await paymentsOf(consentId), 0);
        assert.equal(await balanceOf(aliceGbp), aliceBefore);
      });

      it('a submission that differs from the authorised consent (amount, rate, currency of transfer): 400 U008, nothing paid, the consent stays usable', async () => {
        const body = consentBody('20.00', { UnitCurrency: 'GBP', RateType: 'Actual' });
        const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/international-payment-consents', body, psu: alice, accountId: aliceGbp });
        const base = submissionBody(consentId, body);
        const initiation = base.Data.Initiation;
        const variants = [
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, InstructedAmount: { Amount: '2000.00', Currency: 'EUR' } } } },
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, ExchangeRateInformation: { UnitCurrency: 'GBP', RateType: 'Indicative' } } } },
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, CurrencyOfTransfer: 'USD' } } },
        ];
        const aliceBefore = await balanceOf(aliceGbp);
        for (const variant of variants) expectObError(await submit(psuToken, variant), 400, 'U008');
        assert.equal(await paymentsOf(consentId), 0);
        assert.equal(await balanceOf(aliceGbp), aliceBefore);
        assert.equal((await consentsOf(db()).find(consentId))?.status, 'authorised');
        assert.equal((await submit(psuToken, base)).status, 201);
      });
    });
  });
}
