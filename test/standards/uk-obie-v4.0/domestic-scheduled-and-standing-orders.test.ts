import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { consentsOf } from '../../support/consents-module.ts';
import { EXECUTE_STANDING_ORDER_INSTALMENT_JOB } from '../../../src/modules/payments/index.ts';
import { Scheduler } from '../../../src/platform/scheduler/index.ts';
import { DIALECTS } from '../../support/backends.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import { expectObError, type ObError } from '../../support/ob-errors.ts';
import { checkLedger } from '../../support/ledger-fixtures.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import type { SandboxPsuIdentity } from '../../support/ais-access.ts';
import { authorisedConsent, checkPisResponse, PISP, pisGet, pisPost, startPisFixture, type ObCreditor, type ResponseCheck } from '../../support/pis-access.ts';

interface ObConsentResponse {
  Data: { ConsentId: string; Status: string; Permission: string; Initiation: Record<string, unknown>; Debtor?: { Identification: string } };
  Risk: Record<string, unknown>;
}
interface ObScheduledResponse {
  Data: { DomesticScheduledPaymentId: string; ConsentId: string; Status: string; Initiation: Record<string, unknown>; Debtor?: { Identification: string } };
}
interface ObStandingOrderResponse {
  Data: { DomesticStandingOrderId: string; ConsentId: string; Status: string; Initiation: Record<string, unknown> };
}
interface ObPaymentDetails {
  Data: { PaymentStatus: Array<{ PaymentTransactionId: string; Status: string; StatusDetail: { Status: string } }> };
}

const DAY = 86_400_000;
const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+00:00');

for (const dialect of DIALECTS) {
  describe(`OB v4.0 domestic scheduled payments and standing orders (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let other: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bobGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;
    const db = () => app.portico.database.db;

    before(async () => {
      ({ app, tpp, other, alice, aliceGbp, bobGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Scheduled Pay Ltd', other: 'Other Scheduler Ltd' }));
    });
    after(async () => {
      await app?.close();
    });

    /** Every response against the official schema of its operation, signed by the bank where the spec signs it. */
    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);
    const post = async (path: string, token: string, body: object, idempotencyKey?: string) =>
      checked('POST', `${PISP}${path}`, await pisPost(tpp, path, { token, body: JSON.stringify(body), ...(idempotencyKey ? { idempotencyKey } : {}) }));
    const get = async (path: string, client: TppClient = tpp) => checked('GET', `${PISP}${path}`, await pisGet(client, path, await client.clientCredentialsToken('payments')));
    const balanceOf = async (accountId: string) => (await app.portico.core.getBalances(accountId))!.bookedMinor;
    const entriesOf = async (paymentId: string) =>
      (await db().selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${paymentId}`).execute()).length;
    const risk = { PaymentContextCode: 'TransferToThirdParty' };

    function scheduledConsentBody(amount: string, executeAt: Date) {
      return {
        Data: {
          Permission: 'Create',
          Initiation: {
            InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
            LocalInstrument: 'UK.OBIE.FPS',
            RequestedExecutionDateTime: iso(executeAt),
            InstructedAmount: { Amount: amount, Currency: 'GBP' },
            CreditorAccount: bobCreditor,
            RemittanceInformation: { Unstructured: ['Rent'] },
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
            FirstPaymentAmount: { Amount: '1.00', Currency: 'GBP' },
            RecurringPaymentAmount: { Amount: '2.00', Currency: 'GBP' },
            FinalPaymentAmount: { Amount: '3.00', Currency: 'GBP' },
            CreditorAccount: bobCreditor,
            RemittanceInformation: { Unstructured: ['Pocket money'] },
            MandateRelatedInformation: { FirstPaymentDateTime: iso(first), Frequency: { Type: options.frequency ?? 'EvryDay' } },
          },
        },
        Risk: risk,
      };
    }
    type StandingOrderConsentBody = ReturnType<typeof standingOrderConsentBody>;
    const standingOrderSubmission = (consentId: string, consent: StandingOrderConsentBody) => ({ Data: { ConsentId: consentId, Initiation: consent.Data.Initiation }, Risk: consent.Risk });

    async function authorisedScheduled(amount: string, executeAt: Date) {
      const body = scheduledConsentBody(amount, executeAt);
      return { body, ...(await authorisedConsent(app, tpp, checked, { path: '/domestic-scheduled-payment-consents', body, psu: alice, accountId: aliceGbp })) };
    }

    async function authorisedStandingOrder(first: Date, options: { frequency?: string; numberOfPayments?: string } = {}) {
      const body = standingOrderConsentBody(first, options);
      return { body, ...(await authorisedConsent(app, tpp, checked, { path: '/domestic-standing-order-consents', body, psu: alice, accountId: aliceGbp })) };
    }

    it('a scheduled payment is consented, submitted PDNG, not run before its date and run once when the date comes', async () => {
      const executeAt = new Date(Date.now() + 2 * DAY);
      const { body, consentId, psuToken } = await authorisedScheduled('4.56', executeAt);
      const consent = (await get(`/domestic-scheduled-payment-consents/${consentId}`)).json<ObConsentResponse>();
      assert.equal(consent.Data.Status, 'AUTH');
      assert.equal(consent.Data.Permission, 'Create');
      assert.deepEqual(consent.Data.Initiation, body.Data.Initiation, 'the Initiation is echoed exactly');

      const submitted = await post('/domestic-scheduled-payments', psuToken, scheduledSubmission(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const payment = submitted.json<ObScheduledResponse>();
      assert.equal(payment.Data.Status, 'PDNG');
      assert.deepEqual(payment.Data.Initiation, body.Data.Initiation);
      const paymentId = payment.Data.DomesticScheduledPaymentId;
      assert.equal((await get(`/domestic-scheduled-payment-consents/${consentId}`)).json<ObConsentResponse>().Data.Status, 'COND');

      const [aliceBefore, bobBefore] = [await balanceOf(aliceGbp), await balanceOf(bobGbp)];
      const read = async () => (await get(`/domestic-scheduled-payments/${paymentId}`)).json<ObScheduledResponse>().Data.Status;
      // The day before, and a minute before: nothing runs.
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() - DAY));
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() - 60_000));
      assert.equal(await read(), 'PDNG');
      assert.equal(await balanceOf(aliceGbp), aliceBefore);
      assert.equal(await entriesOf(paymentId), 0);

      // Its date comes: executed on the ledger (on us: ACSC here, ACCC in payment-details), once.
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() + 1000));
      await app.portico.scheduler.runDue(new Date(executeAt.getTime() + DAY));
      assert.equal(await read(), 'ACSC');
      const details = await get(`/domestic-scheduled-payments/${paymentId}/payment-details`);
      assert.equal(details.status, 200, details.text);
      assert.equal(details.json<ObPaymentDetails>().Data.PaymentStatus[0]?.Status, 'ACCC');
      assert.equal(await balanceOf(aliceGbp), aliceBefore - 456n);
      assert.equal(await balanceOf(bobGbp), bobBefore + 456n);
      assert.equal(await entriesOf(paymentId), 1);
    });

    it('a standing order of 3 instalments runs each exactly once (first, recurring, final amounts), however often and by however many schedulers runDue is called', async () => {
      const first = new Date(Date.now() + 2 * DAY);
      const { body, consentId, psuToken } = await authorisedStandingOrder(first);
      const consent = (await get(`/domestic-standing-order-consents/${consentId}`)).json<ObConsentResponse>();
      assert.equal(consent.Data.Status, 'AUTH');
      assert.deepEqual(consent.Data.Initiation, body.Data.Initiation);

      const submitted = await post('/domestic-standing-orders', psuToken, standingOrderSubmission(consentId, body));
      assert.equal(submitted.status, 201, submitted.text);
      const order = submitted.json<ObStandingOrderResponse>();
      assert.equal(order.Data.Status, 'PDNG');
      assert.deepEqual(order.Data.Initiation, body.Data.Initiation);
      const orderId = order.Data.DomesticStandingOrderId;
      const aliceBefore = await balanceOf(aliceGbp);

      await app.portico.scheduler.runDue(new Date(first.getTime() - 60_000));
      assert.equal((await get(`/domestic-standing-orders/${orderId}/payment-details`)).json<ObPaymentDetails>().Data.PaymentStatus.length, 0, 'nothing before the first date');

      // A second instance's scheduler on the same database, and both called repeatedly at once.
      const second = new Scheduler(db(), silentLogger, { workerId: 'second-instance' });
      second.register(EXECUTE_STANDING_ORDER_INSTALMENT_JOB, app.portico.payments.jobs[EXECUTE_STANDING_ORDER_INSTALMENT_JOB]!);
      const later = new Date(first.getTime() + 10 * DAY);
      for (let round = 0; round < 3; round += 1) {
        await Promise.all([app.portico.scheduler.runDue(later), second.runDue(later), app.portico.scheduler.runDue(later), second.runDue(later)]);
      }

      const details = (await get(`/domestic-standing-orders/${orderId}/payment-details`)).json<ObPaymentDetails>().Data.PaymentStatus;
      assert.equal(details.length, 3);
      for (const instalment of details) assert.equal(instalment.Status, 'ACCC');
      const instalments = await db()
        .selectFrom('standing_order_instalments as i')
        .innerJoin('payments as p', 'p.id', 'i.payment_id')
        .select(['i.instalment_number', 'i.due_at', 'p.amount_minor', 'p.id'])
        .where('i.standing_order_id', '=', orderId)
        .orderBy('i.instalment_number')
        .execute();
      assert.deepEqual(
        instalments.map((i) => [i.instalment_number, i.due_at.toISOString(), i.amount_minor]),
        [0, 1, 2].map((n) => [n + 1, new Date(Date.parse(iso(first)) + n * DAY).toISOString(), BigInt((n + 1) * 100)]),
      );
      for (const instalment of instalments) assert.equal(await entriesOf(instalment.id), 1);
      assert.equal(await balanceOf(aliceGbp), aliceBefore - 600n);
      const jobs = await db().selectFrom('scheduled_jobs').select(['dedupe_key', 'status']).where('dedupe_key', 'like', `standing-order:${orderId}:%`).orderBy('dedupe_key').execute();
      assert.deepEqual(jobs, [1, 2, 3].map((n) => ({ dedupe_key: `standing-order:${orderId}:${n}`, status: 'done' })));
      const read = (await get(`/domestic-standing-orders/${orderId}`)).json<ObStandingOrderResponse>();
      assert.equal(read.Data.Status, 'INCO');
      // Set-up and each instalment are one StandingOrderProgressed event of the order, in order.
      type Progress = { status: string; instalment?: { number: number; paymentId: string; paymentStatus: string }; nextInstalment: { number: number } | null };
      const progress = await db()
        .selectFrom('outbox_events')
        .select(['event_type', 'aggregate_version', 'tpp_client_id', 'payload'])
        .where('aggregate_type', '=', 'standing-order')
        .where('aggregate_id', '=', orderId)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        progress.map((e) => {
          const p = e.payload as Progress;
          return [e.event_type, e.aggregate_version, e.tpp_client_id, p.status, p.instalment?.number ?? null, p.instalment?.paymentId ?? null, p.nextInstalment?.number ?? null];
        }),
        [
          ['StandingOrderProgressed', 1, tpp.clientId, 'pending', null, null, 1],
          ['StandingOrderProgressed', 2, tpp.clientId, 'set-up', 1, instalments[0]!.id, 2],
          ['StandingOrderProgressed', 3, tpp.clientId, 'set-up', 2, instalments[1]!.id, 3],
          ['StandingOrderProgressed', 4, tpp.clientId, 'set-up', 3, instalments[2]!.id, null],
        ],
      );
      const ledger = await checkLedger(db());
      assert.deepEqual(ledger.mismatchedAccounts, []);
      await second.stop();
    });

    describe('attacks', () => {
      it('a scheduled payment submission that differs from the consent (date, amount): 400 U008, the consent stays usable', async () => {
        const { body, consentId, psuToken } = await authorisedScheduled('1.00', new Date(Date.now() + 3 * DAY));
        const base = scheduledSubmission(consentId, body);
        const variants = [
          { ...base, Data: { ...base.Data, Initiation: { ...base.Data.Initiation, RequestedExecutionDateTime: iso(new Date(Date.now() + 4 * DAY)) } } },
          { ...base, Data: { ...base.Data, Initiation: { ...base.Data.Initiation, InstructedAmount: { Amount: '100.00', Currency: 'GBP' } } } },
        ];
        for (const variant of variants) expectObError(await post('/domestic-scheduled-payments', psuToken, variant), 400, 'U008');
        assert.equal((await consentsOf(db()).find(consentId))?.status, 'authorised');
      });

      it('a standing order submission that differs from the consent (frequency, count): 400 U008, nothing set up', async () => {
        const { body, consentId, psuToken } = await authorisedStandingOrder(new Date(Date.now() + 3 * DAY));
        const base = standingOrderSubmission(consentId, body);
        const initiation = base.Data.Initiation;
        const variants = [
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, MandateRelatedInformation: { ...initiation.MandateRelatedInformation, Frequency: { Type: 'IntrvlDay:02' } } } } },
          { ...base, Data: { ...base.Data, Initiation: { ...initiation, NumberOfPayments: '300' } } },
        ];
        for (const variant of variants) expectObError(await post('/domestic-standing-orders', psuToken, variant), 400, 'U008');
        assert.equal((await db().selectFrom('standing_orders').select('id').where('consent_id', '=', consentId).execute()).length, 0);
        assert.equal((await consentsOf(db()).find(consentId))?.status, 'authorised');
      });

      it('a second submission on a consumed consent (new idempotency key): 403 U009; a repeat under the same key answers the same resource', async () => {
        const scheduled = await authorisedScheduled('1.00', new Date(Date.now() + 3 * DAY));
        const key = randomUUID();
        const first = await post('/domestic-scheduled-payments', scheduled.psuToken, scheduledSubmission(scheduled.consentId, scheduled.body), key);
        assert.equal(first.status, 201, first.text);
        const repeat = await post('/domestic-scheduled-payments', scheduled.psuToken, scheduledSubmission(scheduled.consentId, scheduled.body), key);
        assert.equal(repeat.json<ObScheduledResponse>().Data.DomesticScheduledPaymentId, first.json<ObScheduledResponse>().Data.DomesticScheduledPaymentId);
        expectObError(await post('/domestic-scheduled-payments', scheduled.psuToken, scheduledSubmission(scheduled.consentId, scheduled.body)), 403, 'U009');
        assert.equal((await db().selectFrom('payments').select('id').where('consent_id', '=', scheduled.consentId).execute()).length, 1);

        const order = await authorisedStandingOrder(new Date(Date.now() + 3 * DAY));
        assert.equal((await post('/domestic-standing-orders', order.psuToken, standingOrderSubmission(order.consentId, order.body))).status, 201);
        expectObError(await post('/domestic-standing-orders', order.psuToken, standingOrderSubmission(order.consentId, order.body)), 403, 'U009');
        assert.equal((await db().selectFrom('standing_orders').select('id').where('consent_id', '=', order.consentId).execute()).length, 1);
      });

      it('an execution date in the past is refused at consent creation: 400 U003, no consent', async () => {
        const token = await tpp.clientCredentialsToken('payments');
        const past = new Date(Date.now() - 60_000);
        const scheduled = await post('/domestic-scheduled-payment-consents', token, scheduledConsentBody('1.00', past));
        expectObError(scheduled, 400, 'U003');
        assert.equal(scheduled.json<ObError>().Errors[0]?.Path, 'Data.Initiation.RequestedExecutionDateTime');
        const order = await post('/domestic-standing-order-consents', token, standingOrderConsentBody(past));
        expectObError(order, 400, 'U003');
        assert.equal(order.json<ObError>().Errors[0]?.Path, 'Data.Initiation.MandateRelatedInformation.FirstPaymentDateTime');
      });

      it('a frequency the bank cannot run (NotKnown, ad hoc): 400 U025', async () => {
        const token = await tpp.clientCredentialsToken('payments');
        for (const frequency of ['NotKnown', 'ADHO']) {
          expectObError(await post('/domestic-standing-order-consents', token, standingOrderConsentBody(new Date(Date.now() + DAY), { frequency })), 400, 'U025');
        }
      });

      it("a payment-consent token cannot submit under another kind's consent, and another TPP reads nothing: 403 U008 / 400 U011", async () => {
        const scheduled = await authorisedScheduled('1.00', new Date(Date.now() + 3 * DAY));
        const order = await authorisedStandingOrder(new Date(Date.now() + 3 * DAY));
        // The scheduled-payment consent's token on the standing-order endpoint.
        expectObError(await post('/domestic-standing-orders', scheduled.psuToken, standingOrderSubmission(order.consentId, order.body)), 403, 'U008');
        const submitted = await post('/domestic-scheduled-payments', scheduled.psuToken, scheduledSubmission(scheduled.consentId, scheduled.body));
        const paymentId = submitted.json<ObScheduledResponse>().Data.DomesticScheduledPaymentId;
        for (const path of [
          `/domestic-scheduled-payments/${paymentId}`,
          `/domestic-scheduled-payment-consents/${scheduled.consentId}`,
          `/domestic-standing-order-consents/${order.consentId}`,
        ]) {
          expectObError(await get(path, other), 400, 'U011');
        }
        // A scheduled payment is not a domestic payment, nor its consent a standing-order consent.
        expectObError(await get(`/domestic-payments/${paymentId}`), 400, 'U011');
        expectObError(await get(`/domestic-standing-order-consents/${scheduled.consentId}`), 400, 'U011');
      });
    });
  });
}
