import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { formatAmount } from '../../../src/core/index.ts';
import { internalAccountId } from '../../../src/core/adapters/ledger/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { DIALECTS } from '../../support/backends.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import { expectObError } from '../../support/ob-errors.ts';
import { checkLedger } from '../../support/ledger-fixtures.ts';
import { waitFor } from '../../support/wait-for.ts';
import { AISP, aisGet, grantAccountAccess, sandboxPsu, type SandboxPsuIdentity } from '../../support/ais-access.ts';
import {
  authorisedConsent,
  authorisePaymentConsent,
  checkPisResponse,
  gbpAccount,
  PISP,
  pisGet,
  pisPost,
  startPisFixture,
  tppSignature,
  type ObCreditor,
  type ResponseCheck,
} from '../../support/pis-access.ts';

interface ObPaymentResponse {
  Data: {
    DomesticPaymentId: string;
    ConsentId: string;
    Status: string;
    StatusReason?: Array<{ StatusReasonCode: string }>;
    Initiation: Record<string, unknown>;
    Debtor?: { SchemeName: string; Identification: string; Name?: string };
    Refund?: { Account: { SchemeName: string; Identification: string; Name: string } };
  };
  Links: { Self: string };
}

interface ObConsentResponse {
  Data: { ConsentId: string; Status: string; Initiation: Record<string, unknown>; Debtor?: { Identification: string } };
  Risk: Record<string, unknown>;
}

/** A creditor sort code no account of the built-in bank has: the payment leaves through clearing. */
const EXTERNAL_CREDITOR = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '99999912345678', Name: 'Outside Bank Payee Ltd' };

for (const dialect of DIALECTS) {
  describe(`OB v4.0 domestic payments (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let other: TppClient;
    let alice: SandboxPsuIdentity;
    let bob: SandboxPsuIdentity;
    let aliceGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;
    const db = () => app.portico.database.db;

    before(async () => {
      ({ app, tpp, other, alice, bob, aliceGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Pay By Bank Ltd', other: 'Other Payments Ltd' }));
    });
    after(async () => {
      await app?.close();
    });

    /** A response as the spec defines it for its operation, signed by the bank with a key of its jwks_uri when the spec signs it. */
    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);

    function consentBody(amount: string, creditor: object = bobCreditor, extra: { data?: object; risk?: object } = {}) {
      return {
        Data: {
          ...extra.data,
          Initiation: {
            InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            LocalInstrument: 'UK.OBIE.FPS',
            InstructedAmount: { Amount: amount, Currency: 'GBP' },
            CreditorAccount: creditor,
            RemittanceInformation: { Unstructured: ['Internal ops code 5120101'], Structured: [{ CreditorReferenceInformation: { Reference: `REF-${randomUUID().slice(0, 6)}` } }] },
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty', ...extra.risk },
      };
    }
    type ConsentBody = ReturnType<typeof consentBody>;
    const submissionBody = (consentId: string, consent: ConsentBody) => ({ Data: { ConsentId: consentId, Initiation: consent.Data.Initiation }, Risk: consent.Risk });

    /** The TPP stages a consent (client-credentials token, signed, idempotent) and the PSU authorises it. */
    async function authorisedPayment(amount: string, creditor: object = bobCreditor, extra: { data?: object; risk?: object } = {}) {
      const body = consentBody(amount, creditor, extra);
      return { body, ...(await authorisedConsent(app, tpp, checked, { path: '/domestic-payment-consents', body, psu: alice, accountId: aliceGbp })) };
    }

    const submit = (psuToken: string, body: object, headers: { idempotencyKey?: string; signature?: string } = {}) =>
      pisPost(tpp, '/domestic-payments', { token: psuToken, body: JSON.stringify(body), ...headers }).then((r) => checked('POST', `${PISP}/domestic-payments`, r));

    async function paymentStatus(paymentId: string): Promise<ObPaymentResponse> {
      const response = await checked('GET', `${PISP}/domestic-payments/${paymentId}`, await pisGet(tpp, `/domestic-payments/${paymentId}`, await tpp.clientCredentialsToken('payments')));
      assert.equal(response.status, 200, response.text);
      return response.json<ObPaymentResponse>();
    }

    /** The payment once final: executed (PDNG over) and, when it left the bank, settled by the scheme (ACSP over). */
    async function settled(paymentId: string): Promise<ObPaymentResponse> {
      let payment: ObPaymentResponse | undefined;
      await waitFor(async () => {
        payment = await paymentStatus(paymentId);
        return !['PDNG', 'ACSP'].includes(payment.Data.Status);
      }, `payment ${paymentId} to be executed and settled`);
      return payment!;
    }

    const balanceOf = async (accountId: string) => (await app.portico.core.getBalances(accountId))!.bookedMinor;
    const entriesOf = async (paymentId: string) =>
      (await db().selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${paymentId}`).execute()).length;
    const paymentsOf = async (consentId: string) => (await db().selectFrom('payments').select('id').where('consent_id', '=', consentId).execute()).length;

    it('consent → PSU authorisation → submission → settled on us (ACCC); the debit shows in AIS balances and transactions', async () => {
      const aisAccess = await grantAccountAccess(app, tpp, alice, {
        permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'],
        accountIds: [aliceGbp],
      });
      const accountRef = (await aisGet(tpp, aisAccess.token, `${AISP}/accounts`)).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId;
      const aisBooked = async () => {
        const balances = (await aisGet(tpp, aisAccess.token, `${AISP}/accounts/${accountRef}/balances`)).json<{
          Data: { Balance: Array<{ Type: string; CreditDebitIndicator: string; Amount: { Amount: string } }> };
        }>().Data.Balance;
        const booked = balances.find((b) => b.Type === 'ITBD')!;
        return `${booked.CreditDebitIndicator === 'Debit' ? '-' : ''}${booked.Amount.Amount}`;
      };
      const aliceBefore = await balanceOf(aliceGbp);
      const bobBefore = await balanceOf((await gbpAccount(app, bob)).id);
      assert.equal(await aisBooked(), formatAmount(aliceBefore, 'GBP'));

      // The TPP stages the consent.
      const body = consentBody('12.34', bobCreditor, { data: { ReadRefundAccount: 'Yes' } });
      const ccToken = await tpp.clientCredentialsToken('payments');
      const created = await checked('POST', `${PISP}/domestic-payment-consents`, await pisPost(tpp, '/domestic-payment-consents', { token: ccToken, body: JSON.stringify(body) }));
      assert.equal(created.status, 201, created.text);
      const consent = created.json<ObConsentResponse>();
      assert.equal(consent.Data.Status, 'AWAU');
      assert.deepEqual(consent.Data.Initiation, body.Data.Initiation, 'the Initiation is echoed exactly');
      assert.deepEqual(consent.Risk, body.Risk);
      const consentId = consent.Data.ConsentId;
      const read = async () => {
        const response = await checked('GET', `${PISP}/domestic-payment-consents/${consentId}`, await pisGet(tpp, `/domestic-payment-consents/${consentId}`, ccToken));
        assert.equal(response.status, 200, response.text);
        return response.json<ObConsentResponse>();
      };
      assert.equal((await read()).Data.Status, 'AWAU');

      // The PSU authorises it from her GBP account; the TPP sees the debtor and can confirm funds.
      const psuToken = await authorisePaymentConsent(app, tpp, alice, consentId, aliceGbp);
      const authorised = await read();
      assert.equal(authorised.Data.Status, 'AUTH');
      const aliceAccount = await gbpAccount(app, alice);
      assert.equal(authorised.Data.Debtor?.Identification, `${aliceAccount.sortCode}${aliceAccount.accountNumber}`);
      const funds = await checked(
        'GET',
        `${PISP}/domestic-payment-consents/${consentId}/funds-confirmation`,
        await pisGet(tpp, `/domestic-payment-consents/${consentId}/funds-confirmation`, psuToken),
      );
      assert.equal(funds.status, 200, funds.text);
      assert.equal(funds.json<{ Data: { FundsAvailableResult: { FundsAvailable: boolean } } }>().Data.FundsAvailableResult.FundsAvailable, true);

      // The TPP submits the payment with the PSU's token.
      const submitted = await submit(psuToken, submissionBody(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const payment = submitted.json<ObPaymentResponse>();
      assert.equal(payment.Data.ConsentId, consentId);
      assert.deepEqual(payment.Data.Initiation, body.Data.Initiation);
      assert.ok(['PDNG', 'ACCC'].includes(payment.Data.Status), payment.Data.Status);
      assert.match(payment.Links.Self, new RegExp(`/open-banking/v4\\.0/pisp/domestic-payments/${payment.Data.DomesticPaymentId}$`));
      assert.equal(payment.Data.Debtor?.Identification, `${aliceAccount.sortCode}${aliceAccount.accountNumber}`);
      assert.equal(payment.Data.Refund?.Account.Identification, payment.Data.Debtor?.Identification, 'ReadRefundAccount: the refund account is the debtor');

      const done = await settled(payment.Data.DomesticPaymentId);
      assert.equal(done.Data.Status, 'ACCC', 'credited to a customer of this bank');
      const details = await checked(
        'GET',
        `${PISP}/domestic-payments/${payment.Data.DomesticPaymentId}/payment-details`,
        await pisGet(tpp, `/domestic-payments/${payment.Data.DomesticPaymentId}/payment-details`, ccToken),
      );
      assert.equal(details.status, 200, details.text);
      assert.equal(details.json<{ Data: { PaymentStatus: Array<{ Status: string; StatusDetail: { LocalInstrument?: string } }> } }>().Data.PaymentStatus[0]?.Status, 'ACCC');
      assert.equal((await read()).Data.Status, 'COND', 'the consent is consumed');

      // Money moved exactly once, both sides, and the ledger balances.
      assert.equal(await balanceOf(aliceGbp), aliceBefore - 1234n);
      assert.equal(await balanceOf((await gbpAccount(app, bob)).id), bobBefore + 1234n);
      assert.equal(await entriesOf(payment.Data.DomesticPaymentId), 1);
      const ledger = await checkLedger(db());
      assert.deepEqual(ledger.mismatchedAccounts, []);
      for (const [currency, sum] of ledger.sumsByCurrency) assert.equal(sum, 0n, currency);

      // AIS shows it once the posting's event is relayed: the balance dropped and the debit is listed.
      await waitFor(async () => (await aisBooked()) === formatAmount(aliceBefore - 1234n, 'GBP'), 'the AIS balance to show the payment');
      const transactions = (await aisGet(tpp, aisAccess.token, `${AISP}/accounts/${accountRef}/transactions`)).json<{
        Data: { Transaction: Array<{ CreditDebitIndicator: string; Amount: { Amount: string }; TransactionReference?: string; CreditorAccount?: { Identification: string } }> };
      }>().Data.Transaction;
      const reference = body.Data.Initiation.RemittanceInformation.Structured[0]!.CreditorReferenceInformation.Reference;
      const debit = transactions.find((t) => t.TransactionReference === reference);
      assert.ok(debit, 'the payment is among the AIS transactions');
      assert.equal(debit.CreditDebitIndicator, 'Debit');
      assert.equal(debit.Amount.Amount, '12.34');
      assert.equal(debit.CreditorAccount?.Identification, bobCreditor.Identification);
    });

    it('a creditor outside the bank is paid through the clearing account (ACSP, then ACSC once the scheme settles it)', async () => {
      const clearing = internalAccountId('clearing', 'GBP');
      const [aliceBefore, clearingBefore] = [await balanceOf(aliceGbp), await balanceOf(clearing)];
      const { body, consentId, psuToken } = await authorisedPayment('5.00', EXTERNAL_CREDITOR);
      const submitted = await submit(psuToken, submissionBody(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const done = await settled(submitted.json<ObPaymentResponse>().Data.DomesticPaymentId);
      assert.equal(done.Data.Status, 'ACSC');
      assert.equal(await balanceOf(aliceGbp), aliceBefore - 500n);
      assert.equal(await balanceOf(clearing), clearingBefore + 500n);
    });

    it('executing a payment again changes nothing (exactly once: locked row, status, unique ledger reference)', async () => {
      const { body, consentId, psuToken } = await authorisedPayment('1.00', EXTERNAL_CREDITOR);
      const paymentId = (await submit(psuToken, submissionBody(consentId, body))).json<ObPaymentResponse>().Data.DomesticPaymentId;
      await settled(paymentId);
      const before = await balanceOf(aliceGbp);
      const again = await app.portico.payments.executePayment(paymentId);
      assert.equal(again?.status, 'settled');
      assert.equal(await balanceOf(aliceGbp), before);
      assert.equal(await entriesOf(paymentId), 1);
    });

    describe('attacks', () => {
      it('tampered body with a valid-looking signature (signed over another amount): 400 U015, nothing paid', async () => {
        const { body, consentId, psuToken } = await authorisedPayment('2.00');
        const signed = JSON.stringify(submissionBody(consentId, body));
        const tampered = signed.replace('"2.00"', '"2000.00"');
        expectObError(await pisPost(tpp, '/domestic-payments', { token: psuToken, body: tampered, signature: await tppSignature(tpp, signed) }).then((r) => checked('POST', `${PISP}/domestic-payments`, r)), 400, 'U015');
        assert.equal(await paymentsOf(consentId), 0);
        assert.equal((await consentsOf(db()).find(consentId))?.status, 'authorised');
      });

      it("signature by another TPP's key: 400 U016 under its own kid, U015 under the caller's", async () => {
        const { body, consentId, psuToken } = await authorisedPayment('2.00');
        const payload = JSON.stringify(submissionBody(consentId, body));
        expectObError(await submit(psuToken, JSON.parse(payload), { signature: await tppSignature(tpp, payload, { signer: other }) }), 400, 'U016');
        expectObError(await submit(psuToken, JSON.parse(payload), { signature: await tppSignature(tpp, payload, { signer: other, kid: tpp.tpp.signing.kid }) }), 400, 'U015');
        assert.equal(await paymentsOf(consentId), 0);
      });

      it('a consent POST without x-jws-signature: 400 U019', async () => {
        const response = await tpp.mtls(`${PISP}/domestic-payment-consents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await tpp.clientCredentialsToken('payments')}`, 'x-fapi-interaction-id': randomUUID(), 'x-idempotency-key': randomUUID() },
          body: JSON.stringify(consentBody('1.00')),
        });
        expectObError(await checked('POST', `${PISP}/domestic-payment-consents`, response), 400, 'U019');
      });

      it('replayed submission (same idempotency key and body): the same payment, one debit', async () => {
        const { body, consentId, psuToken } = await authorisedPayment('3.00');
        const key = randomUUID();
        const first = await submit(psuToken, submissionBody(consentId, body), { idempotencyKey: key });
        assert.equal(first.status, 201, first.text);
        const paymentId = first.json<ObPaymentResponse>().Data.DomesticPaymentId;
        await settled(paymentId);
        const before = await balanceOf(aliceGbp);
        const replay = await submit(psuToken, submissionBody(consentId, body), { idempotencyKey: key });
        assert.equal(replay.status, 201, replay.text);
        assert.equal(replay.json<ObPaymentResponse>().Data.DomesticPaymentId, paymentId);
        assert.equal(await paymentsOf(consentId), 1);
        assert.equal(await entriesOf(paymentId), 1);
        assert.equal(await balanceOf(aliceGbp), before, 'no second debit');
      });

      it('the same idempotency key with a different body: 400 U006, nothing created', async () => {
        const { body, consentId, psuToken } = await authorisedPayment('3.00');
        const key = randomUUID();
        const first = await submit(psuToken, submissionBody(consentId, body), { idempotencyKey: key });
        assert.equal(first.status, 201, first.text);
        const changed = submissionBody(consentId, body);
        const different = { ...changed, Risk: { ...changed.Risk, PaymentContextCode: 'TransferToSelf' } };
        expectObError(await submit(psuToken, different, { idempotencyKey: key }), 400, 'U006');
        assert.equal(await paymentsOf(consentId), 1);
      });

      it('a submission that differs from the authorised consent (amount, creditor, risk): 400 U008, the consent stays usable', async () => {
        const { body, consentId, psuToken } = await authorisedPayment('4.00');
        const base = submissionBody(consentId, body);
        const variants = [
          { ...base, Data: { ...base.Data, Initiation: { ...base.Data.Initiation, InstructedAmount: { Amount: '400.00', Currency: 'GBP' } } } },
          { ...base, Data: { ...base.Data, Initiation: { ...base.Data.Initiation, CreditorAccount: EXTERNAL_CREDITOR } } },
          { ...base, Data: { ...base.Data, Initiation: { ...base.Data.Initiation, LocalInstrument: undefined } } },
          { ...base, Risk: {} },
        ];
        for (const variant of variants) expectObError(await submit(psuToken, JSON.parse(JSON.stringify(variant))), 400, 'U008');
        assert.equal(await paymentsOf(consentId), 0);
        assert.equal((await consentsOf(db()).find(consentId))?.status, 'authorised');
        // Member order is not content: the same terms in another order are accepted.
        const reordered = { Risk: base.Risk, Data: { Initiation: Object.fromEntries(Object.entries(base.Data.Initiation).reverse()), ConsentId: consentId } };
        assert.equal((await submit(psuToken, reordered)).status, 201);
      });

      it('a second submission under a consumed consent (new idempotency key): 403 U009', async () => {
        const { body, consentId, psuToken } = await authorisedPayment('1.50');
        assert.equal((await submit(psuToken, submissionBody(consentId, body))).status, 201);
        expectObError(await submit(psuToken, submissionBody(consentId, body)), 403, 'U009');
        assert.equal(await paymentsOf(consentId), 1);
      });

      it("a body naming another consent than the token's: 403 U008", async () => {
        const mine = await authorisedPayment('1.00');
        const theirs = await authorisedPayment('1.00');
        expectObError(await submit(mine.psuToken, submissionBody(theirs.consentId, theirs.body)), 403, 'U008');
        assert.equal(await paymentsOf(theirs.consentId), 0);
      });

      it('a client-credentials token cannot submit a payment: 401 U006', async () => {
        const { body, consentId } = await authorisedPayment('1.00');
        expectObError(await submit(await tpp.clientCredentialsToken('payments'), submissionBody(consentId, body)), 401, 'U006');
      });

      it("another TPP cannot read the payment or the consent: 400 U011", async () => {
        const { body, consentId, psuToken } = await authorisedPayment('1.00');
        const paymentId = (await submit(psuToken, submissionBody(consentId, body))).json<ObPaymentResponse>().Data.DomesticPaymentId;
        const token = await other.clientCredentialsToken('payments');
        for (const path of [`/domestic-payments/${paymentId}`, `/domestic-payments/${paymentId}/payment-details`, `/domestic-payment-consents/${consentId}`]) {
          expectObError(await checked('GET', `${PISP}${path}`, await pisGet(other, path, token)), 400, 'U011');
        }
      });

      it('insufficient funds: Rejected (RJCT, AM04) and no money moved', async () => {
        const balances = (await app.portico.core.getBalances(aliceGbp))!;
        const tooMuch = formatAmount(balances.availableMinor + balances.overdraftLimitMinor + 100_00n, 'GBP');
        const { body, consentId, psuToken } = await authorisedPayment(tooMuch);
        const funds = await pisGet(tpp, `/domestic-payment-consents/${consentId}/funds-confirmation`, psuToken);
        assert.equal(funds.json<{ Data: { FundsAvailableResult: { FundsAvailable: boolean } } }>().Data.FundsAvailableResult.FundsAvailable, false);
        const before = await balanceOf(aliceGbp);
        const submitted = await submit(psuToken, submissionBody(consentId, body));
        assert.equal(submitted.status, 201, submitted.text);
        const paymentId = submitted.json<ObPaymentResponse>().Data.DomesticPaymentId;
        const done = await settled(paymentId);
        assert.equal(done.Data.Status, 'RJCT');
        assert.equal(done.Data.StatusReason?.[0]?.StatusReasonCode, 'AM04');
        assert.equal(await balanceOf(aliceGbp), before);
        assert.equal(await entriesOf(paymentId), 0);
      });

      it('a closed creditor account: Rejected (RJCT, AC04) and no money moved', async () => {
        const closed = await gbpAccount(app, await sandboxPsu(app, 2));
        const creditor = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${closed.sortCode}${closed.accountNumber}`, Name: 'Closed' };
        const { body, consentId, psuToken } = await authorisedPayment('1.00', creditor);
        await db().updateTable('bank_accounts').set({ status: 'Disabled' }).where('id', '=', closed.id).execute();
        try {
          const before = await balanceOf(aliceGbp);
          const paymentId = (await submit(psuToken, submissionBody(consentId, body))).json<ObPaymentResponse>().Data.DomesticPaymentId;
          const done = await settled(paymentId);
          assert.equal(done.Data.Status, 'RJCT');
          assert.equal(done.Data.StatusReason?.[0]?.StatusReasonCode, 'AC04');
          assert.equal(await balanceOf(aliceGbp), before);
        } finally {
          await db().updateTable('bank_accounts').set({ status: 'Enabled' }).where('id', '=', closed.id).execute();
        }
      });

      it('unsupported creditor scheme and malformed amounts are refused at consent creation (400)', async () => {
        const token = await tpp.clientCredentialsToken('payments');
        const post = (body: object) => pisPost(tpp, '/domestic-payment-consents', { token, body: JSON.stringify(body) }).then((r) => checked('POST', `${PISP}/domestic-payment-consents`, r));
        expectObError(await post(consentBody('1.00', { SchemeName: 'UK.OBIE.PAN', Identification: '4111111111111111', Name: 'Card' })), 400, 'U021');
        expectObError(await post(consentBody('1.001')), 400, 'U002');
        expectObError(await post(consentBody('0.00')), 400, 'U002');
        expectObError(await post({ ...consentBody('1.00'), Unexpected: true }), 400, 'U005');
      });

      it('a creditor IBAN of the wrong length for its country, with check digits that hold (23-character GB IBAN): 400 U002 at consent creation', async () => {
        const token = await tpp.clientCredentialsToken('payments');
        const creditor = { SchemeName: 'UK.OBIE.IBAN', Identification: 'GB71BUKB202015555555550', Name: 'Too Long Ltd' };
        const response = await pisPost(tpp, '/domestic-payment-consents', { token, body: JSON.stringify(consentBody('1.00', creditor)) }).then((r) => checked('POST', `${PISP}/domestic-payment-consents`, r));
        expectObError(response, 400, 'U002');
        assert.equal(response.json<{ Errors: Array<{ Path?: string }> }>().Errors[0]?.Path, 'Data.Initiation.CreditorAccount.Identification');
      });
    });

    if (dialect === 'postgres') {
      it('50 concurrent identical submissions with one idempotency key: exactly one payment and one debit', async () => {
        const { body, consentId, psuToken } = await authorisedPayment('7.00', EXTERNAL_CREDITOR);
        const before = await balanceOf(aliceGbp);
        const key = randomUUID();
        const payload = JSON.stringify(submissionBody(consentId, body));
        const signature = await tppSignature(tpp, payload);
        const responses = await Promise.all(Array.from({ length: 50 }, () => pisPost(tpp, '/domestic-payments', { token: psuToken, body: payload, idempotencyKey: key, signature })));
        for (const response of responses) assert.equal(response.status, 201, response.text);
        const ids = new Set(responses.map((r) => r.json<ObPaymentResponse>().Data.DomesticPaymentId));
        assert.equal(ids.size, 1, 'every response names the one payment');
        const [paymentId] = [...ids];
        await settled(paymentId!);
        assert.equal(await paymentsOf(consentId), 1);
        assert.equal(await entriesOf(paymentId!), 1);
        assert.equal(await balanceOf(aliceGbp), before - 700n);
      });
    }
  });
}
