import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { internalAccountId } from '../../../src/core/adapters/ledger/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB, EXECUTE_STANDING_ORDER_INSTALMENT_JOB } from '../../../src/modules/payments/index.ts';
import { Scheduler } from '../../../src/platform/scheduler/index.ts';
import { DIALECTS } from '../../support/backends.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import { expectObError, type ObError } from '../../support/ob-errors.ts';
import { checkLedger } from '../../support/ledger-fixtures.ts';
import { silentLogger } from '../../support/silent-logger.ts';
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
  Data: { ConsentId: string; Status: string; Permission: string; ExchangeRateInformation?: ObExchangeRate; Initiation: Record<string, unknown>; Debtor?: { Identification: string } };
  Risk: Record<string, unknown>;
}
interface ObScheduledResponse {
  Data: {
    InternationalScheduledPaymentId: string;
    ConsentId: string;
    Status: string;
    ExpectedExecutionDateTime: string;
    ExchangeRateInformation?: ObExchangeRate;
    Initiation: Record<string, unknown>;
    Debtor?: { Identification: string };
  };
}
interface ObStandingOrderResponse {
  Data: { InternationalStandingOrderId: string; ConsentId: string; Status: string; Initiation: Record<string, unknown>; Refund?: { Account: { Identification: string } } };
}
interface ObPaymentDetails {
  Data: { PaymentStatus: Array<{ PaymentTransactionId: string; Status: string; StatusDetail: { Status: string } }> };
}

const DAY = 86_400_000;
const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
/** A creditor abroad (the ECBS example IBAN): no account of the built-in bank, paid out through clearing. */
const CREDITOR_ABROAD = { SchemeName: 'UK.OBIE.IBAN', Identification: 'DE89370400440532013000', Name: 'Empfänger GmbH' };

for (const dialect of DIALECTS) {
  describe(`OB v4.0 international scheduled payments and standing orders (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let other: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bankJwks: JSONWebKeySet;
    const db = () => app.portico.database.db;

    before(async () => {
      ({ app, tpp, other, alice, aliceGbp, bankJwks } = await startPisFixture(dialect, { tpp: 'Global Schedules Ltd', other: 'Other Global Ltd' }));
    });
    after(async () => {
      await app?.close();
    });

    /** Every response against the official schema of its operation, signed by the bank where the spec signs it. */
    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);
    const post = async (path: string, token: string, body: object, idempotencyKey?: string) =>
      checked('POST', `${PISP}${path}`, await pisPost(tpp, path, { token, body: JSON.stringify(body), ...(idempotencyKey ? { idempotencyKey } : {}) }));
    const get = async (path: string, client: TppClient = tpp, token?: string) =>
      checked('GET', `${PISP}${path}`, await pisGet(client, path, token ?? (await client.clientCredentialsToken('payments'))));
    const balanceOf = async (accountId: string) => (await app.portico.core.getBalances(accountId))!.bookedMinor;
    const entriesOf = async (paymentId: string) =>
      db().selectFrom('bank_journal_entries').select(['id', 'booked_at']).where('external_ref', '=', `payment:${paymentId}`).execute();
    const clearing = internalAccountId('clearing', 'GBP');
    const risk = { PaymentContextCode: 'TransferToThirdParty' };

    function scheduledConsentBody(amount: string, executeAt: Date, exchangeRate?: object) {
      return {
        Data: {
          Permission: 'Create',
          Initiation: {
            InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            RequestedExecutionDateTime: iso(executeAt),
            CurrencyOfTransfer: 'EUR',
            InstructedAmount: { Amount: amount, Currency: 'EUR' },
            ...(exchangeRate ? { ExchangeRateInformation: exchangeRate } : {}),
            CreditorAccount: CREDITOR_ABROAD,
            RemittanceInformation: { Unstructured: ['Invoice 2026-204'] },
          },
        },
        Risk: risk,
      };
    }
    type ScheduledConsentBody = ReturnType<typeof scheduledConsentBody>;
    const scheduledSubmission = (consentId: string, consent: ScheduledConsentBody) => ({ Data: { ConsentId: consentId, Initiation: consent.Data.Initiation }, Risk: consent.Risk });

    function standingOrderConsentBody(first: Date, options: { frequency?: string; numberOfPayments?: string } = {}) {
      return {
        Data: {
          Permission: 'Create',
          ReadRefundAccount: 'Yes',
          Initiation: {
            NumberOfPayments: options.numberOfPayments ?? '3',
            CurrencyOfTransfer: 'EUR',
            InstructedAmount: { Amount: '10.00', Currency: 'EUR' },
            CreditorAccount: CREDITOR_ABROAD,
            RemittanceInformation: { Unstructured: ['Rent abroad'] },
            MandateRelatedInformation: { FirstPaymentDateTime: iso(first), Frequency: { Type: options.frequency ?? 'EvryDay' } },
          },
        },
        Risk: risk,
      };
    }
    type StandingOrderConsentBody = ReturnType<typeof standingOrderConsentBody>;
    const standingOrderSubmission = (consentId: string, consent: StandingOrderConsentBody) => ({ Data: { ConsentId: consentId, Initiation: consent.Data.Initiation }, Risk: consent.Risk });

    async function authorisedScheduled(amount: string, executeAt: Date, exchangeRate?: object) {
      const body = scheduledConsentBody(amount, executeAt, exchangeRate);
      return { body, ...(await authorisedConsent(app, tpp, checked, { path: '/international-scheduled-payment-consents', body, psu: alice, accountId: aliceGbp })) };
    }

    async function authorisedStandingOrder(first: Date, options: { frequency?: string; numberOfPayments?: string } = {}) {
      const body = standingOrderConsentBody(first, options);
      return { body, ...(await authorisedConsent(app, tpp, checked, { path: '/international-standing-order-consents', body, psu: alice, accountId: aliceGbp })) };
    }

    async function submitScheduled(amount: string, executeAt: Date, exchangeRate?: object) {
      const consent = await authorisedScheduled(amount, executeAt, exchangeRate);
      const submitted = await post('/international-scheduled-payments', consent.psuToken, scheduledSubmission(consent.consentId, consent.body));
      assert.equal(submitted.status, 201, submitted.text);
      return { ...consent, paymentId: submitted.json<ObScheduledResponse>().Data.InternationalScheduledPaymentId };
    }

    const readScheduled = async (paymentId: string) => {
      const response = await get(`/international-scheduled-payments/${paymentId}`);
      assert.equal(response.status, 200, response.text);
      return response.json<ObScheduledResponse>().Data;
    };

    it('a scheduled payment of EUR 100.00 is consented at the bank rate, submitted PDNG, and at its date (not before) debited once exactly GBP 85.47 (100 / 1.17, half-even) through GBP clearing', async () => {
      const executeAt = new Date(Date.now() + 2 * DAY);
      const { body, consentId, psuToken } = await authorisedScheduled('100.00', executeAt);
      const consent = (await get(`/international-scheduled-payment-consents/${consentId}`)).json<ObConsentResponse>();
      assert.equal(consent.Data.Status, 'AUTH');
      assert.deepEqual(consent.Data.Initiation, body.Data.Initiation, 'the Initiation is echoed exactly');
      assert.deepEqual(consent.Data.ExchangeRateInformation, { UnitCurrency: 'GBP', ExchangeRate: 1.17, RateType: 'Indicative' });
      // What the PSU was shown and authenticated (dynamic linking): the date with amount and payee.
      assert.deepEqual((await consentsOf(db()).find(consentId))?.payment?.schedule, { firstPaymentAt: new Date(iso(executeAt)) });

      const funds = await get(`/international-scheduled-payment-consents/${consentId}/funds-confirmation`, tpp, psuToken);
      assert.equal(funds.status, 200, funds.text);
      assert.equal(funds.json<{ Data: { FundsAvailableResult: { FundsAvailable: boolean } } }>().Data.FundsAvailableResult.FundsAvailable, true);

      const submitted = await post('/international-scheduled-payments', psuToken, scheduledSubmission(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const payment = submitted.json<ObScheduledResponse>().Data;
      assert.equal(payment.Status, 'PDNG');
      assert.deepEqual(payment.Initiation, body.Data.Initiation);
      assert.equal(payment.ExpectedExecutionDateTime, iso(executeAt));
      const paymentId = payment.InternationalScheduledPaymentId;
      assert.equal((await get(`/international-scheduled-payment-consents/${consentId}`)).json<ObConsentResponse>().Data.Status, 'COND');

      const [aliceBefore, clearingBefore] = [await balanceOf(aliceGbp), await balanceOf(clearing)];
      // The day before, and a minute before: nothing runs.
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() - DAY));
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() - 60_000));
      assert.equal((await readScheduled(paymentId)).Status, 'PDNG');
      assert.equal(await balanceOf(aliceGbp), aliceBefore);
      assert.equal((await entriesOf(paymentId)).length, 0);

      // Its date comes: converted and executed on the ledger at that date, once.
      const executedAt = new Date(executeAt.getTime() + 1000);
      await app.portico.scheduler.runDue(executedAt);
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() + DAY));
      const executed = await readScheduled(paymentId);
      assert.equal(executed.Status, 'ACSC');
      const { ContractIdentification: reference, ...rate } = executed.ExchangeRateInformation!;
      assert.deepEqual(rate, { UnitCurrency: 'GBP', ExchangeRate: 1.17, RateType: 'Indicative' });
      // The reference of the bank's rate applied names when it was quoted: at the execution, not the consent.
      assert.match(reference!, new RegExp(`^fx1_GBPEUR_1\\.17_${executedAt.getTime()}_`));
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 8547n);
      assert.equal((await balanceOf(clearing)) - clearingBefore, 8547n);
      const entries = await entriesOf(paymentId);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.booked_at.toISOString(), executedAt.toISOString());
      const row = await db().selectFrom('payments').select(['amount_minor', 'currency', 'creditor_account_id', 'executed_at']).where('id', '=', paymentId).executeTakeFirstOrThrow();
      assert.deepEqual(
        { amount: BigInt(row.amount_minor), currency: row.currency, creditor: row.creditor_account_id, executedAt: row.executed_at?.toISOString() },
        { amount: 8547n, currency: 'GBP', creditor: null, executedAt: executedAt.toISOString() },
      );
      const applied = await app.portico.payments.findExchangeRate(paymentId);
      assert.deepEqual({ rateType: applied?.rateType, unit: applied?.unitCurrency, target: applied?.targetCurrency, rate: applied?.rate }, { rateType: 'Indicative', unit: 'GBP', target: 'EUR', rate: '1.17' });

      const details = await get(`/international-scheduled-payments/${paymentId}/payment-details`);
      assert.equal(details.status, 200, details.text);
      assert.deepEqual(details.json<ObPaymentDetails>().Data.PaymentStatus.map((s) => [s.PaymentTransactionId, s.Status]), [[paymentId, 'ACSC']]);
    });

    it("an Actual rate is applied at execution while its contract stands; once the contract has expired, the bank's rate at execution (Indicative)", async () => {
      // The sandbox guarantees an Actual quote for 30 minutes.
      const soon = new Date(Date.now() + 10 * 60_000);
      const standing = await submitScheduled('10.00', soon, { UnitCurrency: 'GBP', RateType: 'Actual' });
      const quoted = (await get(`/international-scheduled-payment-consents/${standing.consentId}`)).json<ObConsentResponse>().Data.ExchangeRateInformation!;
      assert.equal(quoted.RateType, 'Actual');
      assert.deepEqual((await readScheduled(standing.paymentId)).ExchangeRateInformation, quoted, 'before execution, the consent rate');
      await app.portico.scheduler.runDue(new Date(soon.getTime() + 1000));
      const applied = (await readScheduled(standing.paymentId)).ExchangeRateInformation!;
      assert.equal(applied.RateType, 'Actual');
      assert.equal(applied.ContractIdentification, quoted.ContractIdentification);

      const later = new Date(Date.now() + 2 * DAY);
      const expired = await submitScheduled('10.00', later, { UnitCurrency: 'GBP', RateType: 'Actual' });
      const aliceBefore = await balanceOf(aliceGbp);
      // Two instances' schedulers at once: the payment is converted and executed once.
      const second = new Scheduler(db(), silentLogger, { workerId: 'second-instance' });
      second.register(EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB, app.portico.payments.jobs[EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB]!);
      const due = new Date(later.getTime() + 1000);
      await Promise.all([app.portico.scheduler.runDue(due), second.runDue(due), app.portico.scheduler.runDue(due), second.runDue(due)]);
      await second.stop();
      // The conversion hands the payment to its execution job, which a pass that ended while the
      // other instance still held the conversion has not seen: the next poll runs it.
      await app.portico.scheduler.runDue(due);
      assert.equal((await entriesOf(expired.paymentId)).length, 1);
      const fallback = await readScheduled(expired.paymentId);
      assert.notEqual(fallback.Status, 'PDNG');
      assert.deepEqual({ type: fallback.ExchangeRateInformation?.RateType, rate: fallback.ExchangeRateInformation?.ExchangeRate }, { type: 'Indicative', rate: 1.17 });
      // EUR 10.00 / 1.17 = GBP 8.547…, half-even to the penny.
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 855n);
    });

    it('a standing order of 3 instalments of EUR 10.00 runs each exactly once, each converted when it runs (GBP 8.55), however often and by however many schedulers runDue is called', async () => {
      const first = new Date(Date.now() + 2 * DAY);
      const { body, consentId, psuToken } = await authorisedStandingOrder(first);
      const consent = (await get(`/international-standing-order-consents/${consentId}`)).json<ObConsentResponse>();
      assert.equal(consent.Data.Status, 'AUTH');
      assert.deepEqual(consent.Data.Initiation, body.Data.Initiation);
      const shown = (await consentsOf(db()).find(consentId))?.payment;
      assert.deepEqual(
        { amount: shown?.amountMinor, currency: shown?.currency, schedule: shown?.schedule },
        { amount: 1000n, currency: 'EUR', schedule: { firstPaymentAt: new Date(iso(first)), frequency: 'EvryDay', numberOfPayments: 3, finalPaymentAt: null } },
      );

      const submitted = await post('/international-standing-orders', psuToken, standingOrderSubmission(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const order = submitted.json<ObStandingOrderResponse>().Data;
      assert.equal(order.Status, 'PDNG');
      assert.deepEqual(order.Initiation, body.Data.Initiation);
      assert.ok(order.Refund, 'ReadRefundAccount: Yes');
      const orderId = order.InternationalStandingOrderId;
      assert.equal((await get(`/international-standing-order-consents/${consentId}`)).json<ObConsentResponse>().Data.Status, 'COND');
      const [aliceBefore, clearingBefore] = [await balanceOf(aliceGbp), await balanceOf(clearing)];

      await app.portico.scheduler.runDue(new Date(first.getTime() - 60_000));
      assert.equal((await get(`/international-standing-orders/${orderId}/payment-details`)).json<ObPaymentDetails>().Data.PaymentStatus.length, 0, 'nothing before the first date');

      // A second instance's scheduler on the same database, and both called repeatedly at once.
      const second = new Scheduler(db(), silentLogger, { workerId: 'second-instance' });
      second.register(EXECUTE_STANDING_ORDER_INSTALMENT_JOB, app.portico.payments.jobs[EXECUTE_STANDING_ORDER_INSTALMENT_JOB]!);
      const later = new Date(first.getTime() + 10 * DAY);
      for (let round = 0; round < 3; round += 1) {
        await Promise.all([app.portico.scheduler.runDue(later), second.runDue(later), app.portico.scheduler.runDue(later), second.runDue(later)]);
      }
      await app.portico.scheduler.runDue(new Date(later.getTime() + DAY));

      const details = (await get(`/international-standing-orders/${orderId}/payment-details`)).json<ObPaymentDetails>().Data.PaymentStatus;
      assert.deepEqual(details.map((d) => d.Status), ['ACSC', 'ACSC', 'ACSC']);
      const instalments = await db()
        .selectFrom('standing_order_instalments as i')
        .innerJoin('payments as p', 'p.id', 'i.payment_id')
        .select(['i.instalment_number', 'i.due_at', 'p.id', 'p.kind', 'p.amount_minor', 'p.currency', 'p.creditor_account_id'])
        .where('i.standing_order_id', '=', orderId)
        .orderBy('i.instalment_number')
        .execute();
      assert.deepEqual(
        instalments.map((i) => [i.instalment_number, i.due_at.toISOString(), i.kind, BigInt(i.amount_minor), i.currency, i.creditor_account_id]),
        [0, 1, 2].map((n) => [n + 1, new Date(Date.parse(iso(first)) + n * DAY).toISOString(), 'international-standing-order', 855n, 'GBP', null]),
      );
      for (const instalment of instalments) {
        assert.equal((await entriesOf(instalment.id)).length, 1);
        const rate = await app.portico.payments.findExchangeRate(instalment.id);
        assert.deepEqual({ rateType: rate?.rateType, rate: rate?.rate }, { rateType: 'Indicative', rate: '1.17' });
      }
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 3n * 855n);
      assert.equal((await balanceOf(clearing)) - clearingBefore, 3n * 855n);
      const jobs = await db().selectFrom('scheduled_jobs').select(['dedupe_key', 'status']).where('dedupe_key', 'like', `standing-order:${orderId}:%`).orderBy('dedupe_key').execute();
      assert.deepEqual(jobs, [1, 2, 3].map((n) => ({ dedupe_key: `standing-order:${orderId}:${n}`, status: 'done' })));
      assert.equal((await get(`/international-standing-orders/${orderId}`)).json<ObStandingOrderResponse>().Data.Status, 'INCO');
      assert.deepEqual((await checkLedger(db())).mismatchedAccounts, []);
      await second.stop();
    });

    it('OBIE conformance: OB-400-DOP-102000 International Scheduled Payment consent with the minimal data set (InstructedAmount GBP, CurrencyOfTransfer USD) expects 201', async () => {
      // ob_4.0_payment_fca.json with data.json `minimalInternationalScheduledPaymentConsentV4`.
      const response = await post('/international-scheduled-payment-consents', await tpp.clientCredentialsToken('payments'), {
        Data: {
          Permission: 'Create',
          Initiation: {
            RequestedExecutionDateTime: iso(new Date(Date.now() + DAY)),
            InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: 'e2e-internat-sched-pay',
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
      assert.deepEqual(consent.Data.ExchangeRateInformation, { UnitCurrency: 'GBP', ExchangeRate: 1.27, RateType: 'Indicative' });
    });

    it("a scheduled payment instructed in the debtor account's currency (GBP 100.00 to EUR) is debited exactly GBP 100.00 at its date, the bank's rate then applied", async () => {
      const executeAt = new Date(Date.now() + 2 * DAY);
      const body = scheduledConsentBody('100.00', executeAt);
      body.Data.Initiation.InstructedAmount = { Amount: '100.00', Currency: 'GBP' };
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/international-scheduled-payment-consents', body, psu: alice, accountId: aliceGbp });
      const submitted = await post('/international-scheduled-payments', psuToken, scheduledSubmission(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const paymentId = submitted.json<ObScheduledResponse>().Data.InternationalScheduledPaymentId;
      const [aliceBefore, clearingBefore] = [await balanceOf(aliceGbp), await balanceOf(clearing)];
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() + 1000));
      const executed = await readScheduled(paymentId);
      assert.equal(executed.Status, 'ACSC');
      assert.deepEqual({ unit: executed.ExchangeRateInformation?.UnitCurrency, rate: executed.ExchangeRateInformation?.ExchangeRate, type: executed.ExchangeRateInformation?.RateType }, { unit: 'GBP', rate: 1.17, type: 'Indicative' });
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 10_000n);
      assert.equal((await balanceOf(clearing)) - clearingBefore, 10_000n);
      assert.equal((await entriesOf(paymentId)).length, 1);
    });

    it("a standing order instructed in the debtor account's currency (GBP 10.00 to EUR) debits exactly GBP 10.00 per instalment", async () => {
      const first = new Date(Date.now() + 2 * DAY);
      const body = standingOrderConsentBody(first, { numberOfPayments: '2' });
      body.Data.Initiation.InstructedAmount = { Amount: '10.00', Currency: 'GBP' };
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/international-standing-order-consents', body, psu: alice, accountId: aliceGbp });
      const submitted = await post('/international-standing-orders', psuToken, standingOrderSubmission(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const orderId = submitted.json<ObStandingOrderResponse>().Data.InternationalStandingOrderId;
      const aliceBefore = await balanceOf(aliceGbp);
      await app.portico.scheduler.runDue(new Date(first.getTime() + 3 * DAY));
      const details = (await get(`/international-standing-orders/${orderId}/payment-details`)).json<ObPaymentDetails>().Data.PaymentStatus;
      assert.deepEqual(details.map((d) => d.Status), ['ACSC', 'ACSC']);
      const debits = await db()
        .selectFrom('standing_order_instalments as i')
        .innerJoin('payments as p', 'p.id', 'i.payment_id')
        .select(['p.amount_minor', 'p.currency'])
        .where('i.standing_order_id', '=', orderId)
        .execute();
      assert.deepEqual(debits.map((d) => [BigInt(d.amount_minor), d.currency.trim()]), [[1000n, 'GBP'], [1000n, 'GBP']]);
      assert.equal(aliceBefore - (await balanceOf(aliceGbp)), 2000n);
    });

    it('a repeat under the same idempotency key answers the same consent and the same resource', async () => {
      const token = await tpp.clientCredentialsToken('payments');
      const consentKey = randomUUID();
      const consentBody = scheduledConsentBody('5.00', new Date(Date.now() + 3 * DAY));
      const firstConsent = await post('/international-scheduled-payment-consents', token, consentBody, consentKey);
      const repeatConsent = await post('/international-scheduled-payment-consents', token, consentBody, consentKey);
      assert.equal(firstConsent.status, 201, firstConsent.text);
      assert.equal(repeatConsent.status, 201, repeatConsent.text);
      assert.equal(repeatConsent.json<ObConsentResponse>().Data.ConsentId, firstConsent.json<ObConsentResponse>().Data.ConsentId);

      const scheduled = await authorisedScheduled('5.00', new Date(Date.now() + 3 * DAY));
      const key = randomUUID();
      const first = await post('/international-scheduled-payments', scheduled.psuToken, scheduledSubmission(scheduled.consentId, scheduled.body), key);
      const repeat = await post('/international-scheduled-payments', scheduled.psuToken, scheduledSubmission(scheduled.consentId, scheduled.body), key);
      assert.equal(first.status, 201, first.text);
      assert.equal(repeat.status, 201, repeat.text);
      assert.equal(repeat.json<ObScheduledResponse>().Data.InternationalScheduledPaymentId, first.json<ObScheduledResponse>().Data.InternationalScheduledPaymentId);

      const order = await authorisedStandingOrder(new Date(Date.now() + 3 * DAY));
      const orderKey = randomUUID();
      const firstOrder = await post('/international-standing-orders', order.psuToken, standingOrderSubmission(order.consentId, order.body), orderKey);
      const repeatOrder = await post('/international-standing-orders', order.psuToken, standingOrderSubmission(order.consentId, order.body), orderKey);
      assert.equal(firstOrder.status, 201, firstOrder.text);
      assert.equal(repeatOrder.status, 201, repeatOrder.text);
      assert.equal(repeatOrder.json<ObStandingOrderResponse>().Data.InternationalStandingOrderId, firstOrder.json<ObStandingOrderResponse>().Data.InternationalStandingOrderId);
      assert.equal((await db().selectFrom('standing_orders').select('id').where('consent_id', '=', order.consentId).execute()).length, 1);
    });

    describe('attacks', () => {
      it('a scheduled payment submission that differs from its consent (date, amount, currency of transfer): 400 U008, nothing paid, the consent stays usable', async () => {
        const { body, consentId, psuToken } = await authorisedScheduled('20.00', new Date(Date.now() + 3 * DAY));
        const base = scheduledSubmission(consentId, body);
        const initiation = base.Data.Initiation;
        const variants = [
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, RequestedExecutionDateTime: iso(new Date(Date.now() + 4 * DAY)) } } },
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, InstructedAmount: { Amount: '2000.00', Currency: 'EUR' } } } },
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, CurrencyOfTransfer: 'USD' } } },
        ];
        for (const variant of variants) expectObError(await post('/international-scheduled-payments', psuToken, variant), 400, 'U008');
        assert.equal((await db().selectFrom('payments').select('id').where('consent_id', '=', consentId).execute()).length, 0);
        assert.equal((await consentsOf(db()).find(consentId))?.status, 'authorised');
        assert.equal((await post('/international-scheduled-payments', psuToken, base)).status, 201);
      });

      it('a standing order submission that differs from its consent (frequency, amount): 400 U008, nothing set up', async () => {
        const { body, consentId, psuToken } = await authorisedStandingOrder(new Date(Date.now() + 3 * DAY));
        const base = standingOrderSubmission(consentId, body);
        const initiation = base.Data.Initiation;
        const variants = [
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, MandateRelatedInformation: { ...initiation.MandateRelatedInformation, Frequency: { Type: 'IntrvlDay:02' } } } } },
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, InstructedAmount: { Amount: '1000.00', Currency: 'EUR' } } } },
        ];
        for (const variant of variants) expectObError(await post('/international-standing-orders', psuToken, variant), 400, 'U008');
        assert.equal((await db().selectFrom('standing_orders').select('id').where('consent_id', '=', consentId).execute()).length, 0);
        assert.equal((await consentsOf(db()).find(consentId))?.status, 'authorised');
      });

      it('a second submission on a consumed consent (new idempotency key): 403 U009, nothing more created', async () => {
        const scheduled = await submitScheduled('1.00', new Date(Date.now() + 3 * DAY));
        expectObError(await post('/international-scheduled-payments', scheduled.psuToken, scheduledSubmission(scheduled.consentId, scheduled.body)), 403, 'U009');
        assert.equal((await db().selectFrom('payments').select('id').where('consent_id', '=', scheduled.consentId).execute()).length, 1);

        const order = await authorisedStandingOrder(new Date(Date.now() + 3 * DAY));
        assert.equal((await post('/international-standing-orders', order.psuToken, standingOrderSubmission(order.consentId, order.body))).status, 201);
        expectObError(await post('/international-standing-orders', order.psuToken, standingOrderSubmission(order.consentId, order.body)), 403, 'U009');
        assert.equal((await db().selectFrom('standing_orders').select('id').where('consent_id', '=', order.consentId).execute()).length, 1);
      });

      it('an execution date in the past is refused at consent creation: 400 U003, no consent', async () => {
        const token = await tpp.clientCredentialsToken('payments');
        const past = new Date(Date.now() - 60_000);
        const before = (await db().selectFrom('consents').select('id').execute()).length;
        const scheduled = await post('/international-scheduled-payment-consents', token, scheduledConsentBody('1.00', past));
        expectObError(scheduled, 400, 'U003');
        assert.equal(scheduled.json<ObError>().Errors[0]?.Path, 'Data.Initiation.RequestedExecutionDateTime');
        const order = await post('/international-standing-order-consents', token, standingOrderConsentBody(past));
        expectObError(order, 400, 'U003');
        assert.equal(order.json<ObError>().Errors[0]?.Path, 'Data.Initiation.MandateRelatedInformation.FirstPaymentDateTime');
        assert.equal((await db().selectFrom('consents').select('id').execute()).length, before);
      });

      it("another TPP reads none of them, and an international order or scheduled payment is not another kind's resource: 400 U011", async () => {
        const scheduled = await submitScheduled('1.00', new Date(Date.now() + 3 * DAY));
        const order = await authorisedStandingOrder(new Date(Date.now() + 3 * DAY));
        const submitted = await post('/international-standing-orders', order.psuToken, standingOrderSubmission(order.consentId, order.body));
        const orderId = submitted.json<ObStandingOrderResponse>().Data.InternationalStandingOrderId;
        for (const path of [
          `/international-scheduled-payments/${scheduled.paymentId}`,
          `/international-scheduled-payments/${scheduled.paymentId}/payment-details`,
          `/international-scheduled-payment-consents/${scheduled.consentId}`,
          `/international-standing-orders/${orderId}`,
          `/international-standing-orders/${orderId}/payment-details`,
          `/international-standing-order-consents/${order.consentId}`,
        ]) {
          expectObError(await get(path, other), 400, 'U011');
        }
        expectObError(await get(`/international-payments/${scheduled.paymentId}`), 400, 'U011');
        expectObError(await get(`/domestic-scheduled-payments/${scheduled.paymentId}`), 400, 'U011');
        expectObError(await get(`/domestic-standing-orders/${orderId}`), 400, 'U011');
        expectObError(await get(`/international-payment-consents/${scheduled.consentId}`), 400, 'U011');
        expectObError(await get(`/domestic-standing-order-consents/${order.consentId}`), 400, 'U011');
      });
    });
  });
}
