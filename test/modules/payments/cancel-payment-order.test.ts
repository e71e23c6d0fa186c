import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { internalAccountId, LedgerCoreBanking } from '../../../src/core/adapters/ledger/index.ts';
import { PaymentInstruction, type Consent } from '../../../src/modules/consents/index.ts';
import { requestHash } from '../../../src/modules/idempotency/index.ts';
import {
  createPaymentsModule,
  EXECUTE_DOMESTIC_PAYMENT_JOB,
  EXECUTE_STANDING_ORDER_INSTALMENT_JOB,
  PaymentErrors,
  PaymentStatusChangedV2,
  StandingOrderProgressedV2,
  type PaymentsApi,
} from '../../../src/modules/payments/index.ts';
import { createUnitOfWork } from '../../../src/platform/db/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { Scheduler, type JobHandler } from '../../../src/platform/scheduler/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { fund, openAccount } from '../../support/ledger-fixtures.ts';
import { testPersonalDataCipher } from '../../support/personal-data-cipher.ts';
import { silentLogger } from '../../support/silent-logger.ts';

const T0 = new Date('2026-05-04T10:00:00Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const CREDITOR = { name: 'Payee', scheme: 'SortCodeAccountNumber', identification: '99999912345678' };

const notCancellable = (error: unknown) => isAppError(error) && error.code === PaymentErrors.NOT_CANCELLABLE.code;

for (const dialect of DIALECTS) {
  describe(`payment orders are cancelled before they run, atomically with their execution (${dialect})`, () => {
    let database: TestDatabase;
    let payments: PaymentsApi;
    const clearing = internalAccountId('clearing', 'GBP');

    before(async () => {
      database = await openTestDatabase(dialect);
      const cipher = await testPersonalDataCipher(database.db);
      payments = createPaymentsModule({ db: database.db, cipher, consents: consentsOf(database.db), core: new LedgerCoreBanking(database.db) });
      await database.db
        .insertInto('bank_accounts')
        .values({ id: clearing, holder_kind: 'Internal', sub_type: 'Internal', currency: 'GBP', name: 'Clearing', nickname: null, sort_code: null, account_number: null, iban: null, bic: null, product_id: null, status: 'Enabled', opened_at: T0, overdraft_limit_minor: 0n, allow_negative: true })
        .execute();
    });
    after(async () => {
      await database?.close();
    });

    /** A scheduler driven by hand with the jobs that execute payments and make instalments. */
    const scheduler = () =>
      new Scheduler(database.db, silentLogger, { clock: () => T0, retry: { baseMs: 1000, maxMs: 1000 } })
        .register(EXECUTE_DOMESTIC_PAYMENT_JOB, payments.jobs[EXECUTE_DOMESTIC_PAYMENT_JOB] as unknown as JobHandler<never>)
        .register(EXECUTE_STANDING_ORDER_INSTALMENT_JOB, payments.jobs[EXECUTE_STANDING_ORDER_INSTALMENT_JOB] as unknown as JobHandler<never>);
    const cancel = (consentId: string, clientId = 'client-1') => createUnitOfWork(database.db).run((tx) => payments.cancelPaymentOrder(tx, { consentId, clientId }, T0));
    const entriesOf = async (paymentId: string) => (await database.db.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${paymentId}`).execute()).length;
    const eventsOf = async (type: string, key: string, id: string) =>
      (await database.db.selectFrom('outbox_events').select('payload').where('event_type', '=', type).orderBy('seq').execute())
        .map((row) => row.payload as Record<string, unknown>)
        .filter((payload) => payload[key] === id)
        .map((payload) => payload['status']);

    /** A funded debtor and a consent of theirs the PSU authorised. */
    async function authorised(stage: (debtor: string) => Promise<Consent>): Promise<{ consent: Consent; debtor: string }> {
      const debtor = await openAccount(database.db);
      await fund(database.db, clearing, debtor, 100_00n);
      const staged = await stage(debtor);
      await consentsOf(database.db).authorise(staged.id, { psuId: 'psu-1', partyId: `party-${debtor}`, accountIds: [debtor] }, T0);
      return { consent: (await consentsOf(database.db).find(staged.id, T0))!, debtor };
    }
    const submission = (consent: Consent) => {
      const instruction = PaymentInstruction.of({ amount: { decimal: '5.00', currency: 'GBP' }, creditor: CREDITOR });
      return { consent, consentId: consent.id, match: { submitted: instruction, consented: instruction, echoMatches: true }, requestHash: requestHash({ consent: consent.id }), idempotencyKey: randomUUID(), shareRefundAccount: false };
    };

    /** A scheduled payment of 5.00 due tomorrow, submitted (pending). */
    async function scheduledPayment() {
      const { consent } = await authorised((debtor) =>
        payments.stageDomesticScheduledPaymentConsent(
          { clientId: 'client-1', idempotencyKey: randomUUID(), requestHash: requestHash({ debtor }), terms: { amount: { decimal: '5.00', currency: 'GBP' }, creditor: CREDITOR, reference: null }, requestedExecutionAt: at(DAY) },
          T0,
        ),
      );
      const { payment } = await payments.submitDomesticScheduledPayment({ ...submission(consent), requestedExecutionAt: at(DAY) }, T0);
      return { consentId: consent.id, paymentId: payment.id };
    }

    /** A daily standing order of two instalments of 5.00 from tomorrow, submitted (pending). */
    async function standingOrder() {
      const terms = { creditor: CREDITOR, reference: null, firstAmount: { decimal: '5.00', currency: 'GBP' }, firstPaymentAt: at(DAY), numberOfPayments: '2', frequency: 'EvryDay' };
      const { consent } = await authorised((debtor) => payments.stageDomesticStandingOrderConsent({ clientId: 'client-1', idempotencyKey: randomUUID(), requestHash: requestHash({ debtor }), terms }, T0));
      const { order } = await payments.submitDomesticStandingOrder({ ...submission(consent), consentedOrder: terms }, T0);
      return { consentId: consent.id, orderId: order.id };
    }

    it('a scheduled payment cancelled before its date is never handed to the core; its job ends with nothing to do', async () => {
      const { consentId, paymentId } = await scheduledPayment();
      assert.equal((await payments.checkPaymentOrderCancellable({ consentId, clientId: 'client-1' })).payment?.id, paymentId);
      const { payment } = await cancel(consentId);
      assert.equal(payment?.status, 'cancelled');
      const report = await scheduler().runDue(at(DAY + 1000));
      assert.equal(report.failed + report.retried + report.lost, 0);
      assert.equal((await payments.findPaymentOfConsent(consentId, 'client-1'))?.status, 'cancelled');
      assert.equal(await entriesOf(paymentId), 0);
      assert.deepEqual(await eventsOf(PaymentStatusChangedV2.type, 'paymentId', paymentId), ['pending', 'cancelled']);
      await assert.rejects(cancel(consentId), notCancellable, 'a cancelled payment is not cancelled twice');
    });

    it('a scheduled payment that ran stays as it is: NOT_CANCELLABLE', async () => {
      const { consentId, paymentId } = await scheduledPayment();
      await scheduler().runDue(at(DAY + 1000));
      // Booked by the core (the payee is outside the bank: the scheme settles it later).
      assert.equal((await payments.findPaymentOfConsent(consentId, 'client-1'))?.status, 'booked');
      await assert.rejects(payments.checkPaymentOrderCancellable({ consentId, clientId: 'client-1' }), notCancellable);
      await assert.rejects(cancel(consentId), notCancellable);
      assert.equal(await entriesOf(paymentId), 1);
    });

    it("another TPP cannot cancel a TPP's payment order", async () => {
      const { consentId } = await scheduledPayment();
      await assert.rejects(cancel(consentId, 'client-2'), notCancellable);
      assert.equal((await payments.findPaymentOfConsent(consentId, 'client-1'))?.status, 'pending');
    });

    it('race: a scheduled payment executed while its cancellation commits — exactly one wins', async () => {
      for (let round = 0; round < 4; round += 1) {
        const { consentId, paymentId } = await scheduledPayment();
        const [cancelled, executed] = await Promise.allSettled([cancel(consentId), payments.executePayment(paymentId, at(DAY))]);
        assert.equal(executed.status, 'fulfilled');
        const status = (await payments.findPaymentOfConsent(consentId, 'client-1'))?.status;
        if (cancelled.status === 'fulfilled') {
          assert.equal(status, 'cancelled', `round ${round}: the cancellation won`);
          assert.equal(await entriesOf(paymentId), 0, `round ${round}: nothing booked`);
        } else {
          assert.ok(notCancellable(cancelled.reason), `round ${round}: ${String(cancelled.reason)}`);
          assert.equal(status, 'booked', `round ${round}: the execution won`);
          assert.equal(await entriesOf(paymentId), 1, `round ${round}: booked once`);
        }
      }
    });

    it('the execution holding the payment first: a cancellation arriving once it was handed to the core is NOT_CANCELLABLE', async () => {
      const { consentId, paymentId } = await scheduledPayment();
      await database.db.updateTable('payments').set({ sent_to_core_at: at(DAY) }).where('id', '=', paymentId).execute();
      await assert.rejects(cancel(consentId), notCancellable);
      assert.equal((await payments.findPaymentOfConsent(consentId, 'client-1'))?.status, 'pending');
    });

    it('a standing order cancelled after its first instalment makes no further one and reads cancelled', async () => {
      const { consentId, orderId } = await standingOrder();
      await scheduler().runDue(at(DAY + 1000));
      assert.equal((await payments.findStandingOrderOfConsent(consentId, 'client-1'))?.status, 'set-up');
      const { order } = await cancel(consentId);
      assert.equal(order?.status, 'cancelled');
      const report = await scheduler().runDue(at(2 * DAY + 1000));
      assert.equal(report.failed + report.retried + report.lost, 0);
      assert.equal((await payments.listStandingOrderInstalments(orderId)).length, 1);
      assert.equal((await payments.findStandingOrderOfConsent(consentId, 'client-1'))?.status, 'cancelled');
      assert.deepEqual(await eventsOf(StandingOrderProgressedV2.type, 'standingOrderId', orderId), ['pending', 'set-up', 'cancelled']);
      await assert.rejects(cancel(consentId), notCancellable);
    });

    it('a standing order cancelled before its first instalment ran stays cancelled when that instalment is answered', async () => {
      const { consentId, orderId } = await standingOrder();
      // The first instalment is made (its payment pending), then the order is cancelled, then the core answers.
      const first = new Scheduler(database.db, silentLogger, { clock: () => T0 }).register(EXECUTE_STANDING_ORDER_INSTALMENT_JOB, payments.jobs[EXECUTE_STANDING_ORDER_INSTALMENT_JOB] as unknown as JobHandler<never>);
      await first.runDue(at(DAY + 1000));
      assert.equal((await payments.listStandingOrderInstalments(orderId)).length, 1);
      await cancel(consentId);
      await scheduler().runDue(at(3 * DAY));
      const instalments = await payments.listStandingOrderInstalments(orderId);
      assert.deepEqual(instalments.map((i) => i.payment.status), ['booked'], 'the instalment already made runs; none follows');
      assert.equal((await payments.findStandingOrderOfConsent(consentId, 'client-1'))?.status, 'cancelled');
    });

    it('race: the last instalment falling due while the cancellation commits — exactly one wins', async () => {
      for (let round = 0; round < 4; round += 1) {
        const { consentId, orderId } = await standingOrder();
        await scheduler().runDue(at(DAY + 1000));
        const [cancelled, ran] = await Promise.allSettled([cancel(consentId), scheduler().runDue(at(2 * DAY + 1000))]);
        assert.equal(ran.status, 'fulfilled');
        const instalments = (await payments.listStandingOrderInstalments(orderId)).length;
        const status = (await payments.findStandingOrderOfConsent(consentId, 'client-1'))?.status;
        if (cancelled.status === 'fulfilled') {
          assert.equal(instalments, 1, `round ${round}: the cancellation won, no second instalment`);
          assert.equal(status, 'cancelled');
        } else {
          assert.ok(notCancellable(cancelled.reason), `round ${round}: ${String(cancelled.reason)}`);
          assert.equal(instalments, 2, `round ${round}: the instalment won, the order ran its last`);
          assert.equal(status, 'set-up');
        }
      }
    });
  });
}
