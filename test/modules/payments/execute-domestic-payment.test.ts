import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CoreBanking, PaymentExecutor } from '../../../src/core/index.ts';
import { internalAccountId, LedgerCoreBanking } from '../../../src/core/adapters/ledger/index.ts';
import { PaymentInstruction } from '../../../src/modules/consents/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import {
  CONFIRM_PAYMENT_SETTLEMENT_JOB,
  CORE_ANSWER_JOB,
  createPaymentsModule,
  EXECUTE_DOMESTIC_PAYMENT_JOB,
  PaymentStatusChangedV2,
  SandboxPaymentScheme,
  type DomesticPayment,
  type PaymentScheme,
  type PaymentsApi,
  type PaymentSettlementPayload,
} from '../../../src/modules/payments/index.ts';
import { requestHash } from '../../../src/modules/idempotency/index.ts';
import { findJob, Scheduler, type JobHandler, type TransactionalJobHandler } from '../../../src/platform/scheduler/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { testPersonalDataCipher } from '../../support/personal-data-cipher.ts';
import type { PersonalDataCipher } from '../../../src/platform/keystore/index.ts';
import { fund, openAccount } from '../../support/ledger-fixtures.ts';
import { silentLogger } from '../../support/silent-logger.ts';

const T0 = new Date('2026-05-04T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;

/** The data keys of each test database's payments (made in its suite's `before`). */
const ciphers = new WeakMap<TestDatabase['db'], PersonalDataCipher>();

/** The payments module on `db`, its payments executed by `executor` (the ledger's by default) and leaving the bank for `scheme`. */
function paymentsOf(db: TestDatabase['db'], scheme: PaymentScheme = new SandboxPaymentScheme(), executor?: PaymentExecutor, onExecutedTogether?: (size: number) => void): PaymentsApi {
  const ledger = new LedgerCoreBanking(db);
  const core: CoreBanking = executor ? Object.assign(Object.create(ledger) as LedgerCoreBanking, executor) : ledger;
  return createPaymentsModule({ db, cipher: ciphers.get(db)!, consents: consentsOf(db), core, scheme, onExecutedTogether });
}

/** A payment's job handler of `kind` in the payments module. */
const jobOf = <H extends JobHandler<never>>(payments: PaymentsApi, kind: string) => payments.jobs[kind] as unknown as H;

/** A scheduler driven by hand (`runDue`) with both payment jobs, the payment leaving the bank for `scheme`. */
function paymentScheduler(db: TestDatabase['db'], scheme: PaymentScheme = new SandboxPaymentScheme(), core?: PaymentExecutor, onExecutedTogether?: (size: number) => void): Scheduler {
  const payments = paymentsOf(db, scheme, core, onExecutedTogether);
  return new Scheduler(db, silentLogger, { clock: () => T0, retry: { baseMs: 1000, maxMs: 1000 } })
    .register(EXECUTE_DOMESTIC_PAYMENT_JOB, jobOf(payments, EXECUTE_DOMESTIC_PAYMENT_JOB))
    .register(CORE_ANSWER_JOB, jobOf(payments, CORE_ANSWER_JOB))
    .register(CONFIRM_PAYMENT_SETTLEMENT_JOB, jobOf(payments, CONFIRM_PAYMENT_SETTLEMENT_JOB));
}

class SimulatedCrash extends Error {}

for (const dialect of DIALECTS) {
  describe(`domestic payment execution saga through the core port is exactly once and crash-safe (${dialect})`, () => {
    let database: TestDatabase;
    let core: LedgerCoreBanking;
    const clearing = internalAccountId('clearing', 'GBP');

    before(async () => {
      database = await openTestDatabase(dialect);
      ciphers.set(database.db, await testPersonalDataCipher(database.db));
      core = new LedgerCoreBanking(database.db);
      await database.db
        .insertInto('bank_accounts')
        .values({ id: clearing, holder_kind: 'Internal', sub_type: 'Internal', currency: 'GBP', name: 'Clearing', nickname: null, sort_code: null, account_number: null, iban: null, bic: null, product_id: null, status: 'Enabled', opened_at: T0, overdraft_limit_minor: 0n, allow_negative: true })
        .execute();
    });
    after(async () => {
      await database?.close();
    });

    /** A funded debtor, a consent the PSU authorised for it, and the submitted (Pending) payment. */
    async function submittedPayment(amount: string): Promise<{ paymentId: string; debtor: string }> {
      const db = database.db;
      const debtor = await openAccount(db);
      await fund(db, clearing, debtor, 100_00n);
      const terms = { amount: { decimal: amount, currency: 'GBP' }, creditor: { name: 'Payee', scheme: 'SortCodeAccountNumber', identification: '99999912345678' }, reference: 'INV-1' };
      const request = { Data: { Initiation: { amount } }, Risk: {} };
      const payments = createPaymentsModule({ db, cipher: ciphers.get(db)!, consents: consentsOf(db), core });
      const consent = await payments.stageDomesticPaymentConsent({ clientId: 'client-1', idempotencyKey: randomUUID(), terms, requestHash: requestHash(request) }, T0);
      await consentsOf(db).authorise(consent.id, { psuId: 'psu-1', partyId: `party-${debtor}`, accountIds: [debtor] }, T0);
      const authorised = (await consentsOf(db).find(consent.id, T0))!;
      const instruction = PaymentInstruction.of({ amount: terms.amount, creditor: terms.creditor, remittance: { reference: terms.reference } });
      const { payment } = await payments.submitDomesticPayment(
        { consent: authorised, consentId: consent.id, match: { submitted: instruction, consented: instruction, echoMatches: true }, requestHash: requestHash({ ...request, ConsentId: consent.id }), idempotencyKey: randomUUID(), shareRefundAccount: false },
        T0,
      );
      assert.equal(payment.status, 'pending');
      return { paymentId: payment.id, debtor };
    }

    /** The payment as its TPP (`client-1`) sees it. */
    const findDomesticPayment = (paymentId: string): Promise<DomesticPayment | undefined> =>
      paymentsOf(database.db).getPayment(paymentId, { kind: 'single', reach: 'domestic' }, 'client-1').catch(() => undefined);
    const entriesOf = async (paymentId: string) => (await database.db.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${paymentId}`).execute()).length;
    const eventsOf = async (paymentId: string) =>
      (await database.db.selectFrom('outbox_events').select('payload').where('event_type', '=', PaymentStatusChangedV2.type).orderBy('seq').execute()).filter(
        (row) => (row.payload as { paymentId: string }).paymentId === paymentId,
      );
    const statusEventsOf = async (paymentId: string) => (await eventsOf(paymentId)).map((row) => (row.payload as { status: string }).status);

    it('executes the payments whose jobs run while a saga is under way together: one hand-over to the core, each payment its own fate, every job done', async () => {
      const made = [await submittedPayment('1.00'), await submittedPayment('100.01'), await submittedPayment('2.00')];
      const ledger = new LedgerCoreBanking(database.db);
      const handOvers: number[] = [];
      const counting: PaymentExecutor = {
        paymentStatus: (ref) => ledger.paymentStatus(ref),
        submit: (submission) => (handOvers.push(1), ledger.submit(submission)),
        submitAll: (submissions) => (handOvers.push(submissions.length), ledger.submitAll(submissions)),
      };
      const groups: number[] = [];
      const report = await paymentScheduler(database.db, new SandboxPaymentScheme(), counting, (size) => groups.push(size)).runDue(T0);
      // The first job runs at once, alone; the two claimed with it run together as soon as it is done.
      assert.deepEqual(handOvers, [1, 2]);
      assert.deepEqual(groups, [1, 2], 'each group reported with its size (the metric)');
      assert.equal(report.failed + report.retried + report.lost, 0);
      const statuses = await Promise.all(made.map(async ({ paymentId }) => (await findDomesticPayment(paymentId))?.status));
      assert.deepEqual(statuses, ['settled', 'rejected', 'settled']);
      assert.deepEqual((await findDomesticPayment(made[1]!.paymentId))?.statusReason, { code: 'AM04', description: 'Insufficient funds in the debtor account' });
      assert.deepEqual(await Promise.all(made.map(({ paymentId }) => entriesOf(paymentId))), [1, 0, 1]);
      assert.deepEqual(await Promise.all(made.map(async ({ debtor }) => (await core.getBalances(debtor))!.bookedMinor)), [99_00n, 100_00n, 98_00n]);
      assert.deepEqual(await statusEventsOf(made[1]!.paymentId), ['pending', 'rejected']);
      assert.deepEqual(await statusEventsOf(made[2]!.paymentId), ['pending', 'booked', 'settled']);
      for (const { paymentId } of made) assert.equal((await findJob(database.db, `domestic-payment:${paymentId}`))?.status, 'done');
    });

    it('a worker killed after the core booked the payment, before its answer was recorded: the retry records it, the core books nothing twice', async () => {
      const { paymentId, debtor } = await submittedPayment('12.50');
      const ledger = new LedgerCoreBanking(database.db);
      let crashes = 0;
      // The core books the payment, then the worker "dies" before the answer is recorded.
      const crashingOnce: PaymentExecutor = {
        paymentStatus: (ref) => ledger.paymentStatus(ref),
        async submit(submission) {
          const answer = await ledger.submit(submission);
          if (crashes++ === 0) throw new SimulatedCrash('worker died before recording the answer');
          return answer;
        },
      };
      const scheduler = paymentScheduler(database.db, new SandboxPaymentScheme(), crashingOnce);

      const first = await scheduler.runDue(T0);
      assert.equal(first.retried, 1);
      const sentToCore = (await findDomesticPayment(paymentId))!;
      assert.equal(sentToCore.status, 'pending', 'no answer recorded');
      assert.equal((await database.db.selectFrom('payments').select('sent_to_core_at').where('id', '=', paymentId).executeTakeFirstOrThrow()).sent_to_core_at?.getTime(), T0.getTime(), 'SentToCore');
      assert.equal(await entriesOf(paymentId), 1, 'the core booked it');
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n - 12_50n);

      // The retry submits again (idempotent by externalRef) and records the answer; the scheme (settling at once) confirms it in the same pass.
      const retry = await scheduler.runDue(at(2000));
      assert.equal(retry.done, 2);
      const payment = (await findDomesticPayment(paymentId))!;
      assert.equal(payment.status, 'settled');
      assert.equal(payment.coreRef, (await database.db.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${paymentId}`).executeTakeFirstOrThrow()).id);
      assert.equal(await entriesOf(paymentId), 1);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n - 12_50n);
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked', 'settled']);
      assert.equal((await findJob(database.db, `domestic-payment:${paymentId}`))?.status, 'done');
      assert.equal((await findJob(database.db, `payment-settlement:${paymentId}`))?.status, 'done');

      assert.deepEqual(await scheduler.runDue(at(60_000)), { done: 0, retried: 0, failed: 0, lost: 0, released: 0 }, 'nothing is left to run');
    });

    it('a core that accepts without booking at once: the payment waits for its answer (CORE_ANSWER_JOB), then settles once', async () => {
      const { paymentId, debtor } = await submittedPayment('1.50');
      const ledger = new LedgerCoreBanking(database.db);
      let booked = false;
      const slowCore: PaymentExecutor = {
        async submit(submission) {
          return { outcome: 'accepted', coreRef: `slow:${submission.externalRef}`, status: { status: 'pending', coreRef: `slow:${submission.externalRef}` } };
        },
        async paymentStatus(ref) {
          return booked ? ledger.paymentStatus(ref) : { status: 'pending', coreRef: `slow:${ref}` };
        },
      };
      const scheduler = paymentScheduler(database.db, new SandboxPaymentScheme(), slowCore);
      assert.deepEqual(await scheduler.runDue(T0), { done: 1, retried: 1, failed: 0, lost: 0, released: 0 });
      assert.equal((await findDomesticPayment(paymentId))?.status, 'pending');
      assert.equal((await findJob(database.db, `payment-core-answer:${paymentId}`))?.status, 'pending');
      // The core books it (here: the ledger), and answers when asked again.
      await ledger.submit({ externalRef: `payment:${paymentId}`, kind: 'domestic-payment', debtor: { accountId: debtor }, creditor: { name: 'Payee' }, amount: { amountMinor: 1_50n, currency: 'GBP' }, requestedAt: T0 });
      booked = true;
      assert.deepEqual(await scheduler.runDue(at(1000)), { done: 2, retried: 0, failed: 0, lost: 0, released: 0 });
      assert.equal((await findDomesticPayment(paymentId))?.status, 'settled');
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked', 'settled']);
      assert.equal(await entriesOf(paymentId), 1);
    });

    it('two workers racing for the same payment: one executes it, the other finds nothing to do', async () => {
      const { paymentId, debtor } = await submittedPayment('3.00');
      const workers = [1, 2].map(() => paymentScheduler(database.db));
      const reports = await Promise.all(workers.map((worker) => worker.runDue(T0)));
      assert.equal(reports.reduce((sum, report) => sum + report.done, 0), 2, 'one execution, one settlement confirmation');
      assert.equal(await entriesOf(paymentId), 1);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n - 3_00n);
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked', 'settled']);
    });

    it('a payment leaving the bank is booked until the scheme confirms its settlement, then settled', async () => {
      const { paymentId, debtor } = await submittedPayment('4.00');
      const scheduler = paymentScheduler(database.db, new SandboxPaymentScheme({ settlementDelayMs: HOUR }));
      const clearingBefore = (await core.getBalances(clearing))!.bookedMinor;

      // Executed: the debtor is debited to clearing and the payment is with the scheme (ISO 20022 ACSP).
      assert.deepEqual(await scheduler.runDue(T0), { done: 1, retried: 0, failed: 0, lost: 0, released: 0 });
      const sent = (await findDomesticPayment(paymentId))!;
      assert.equal(sent.status, 'booked');
      assert.deepEqual(sent.statusUpdatedAt, T0);
      assert.ok(sent.coreRef);
      assert.deepEqual(sent.executedAt, T0);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n - 4_00n);
      assert.equal((await core.getBalances(clearing))!.bookedMinor, clearingBefore + 4_00n);
      const confirmation = await findJob<PaymentSettlementPayload>(database.db, `payment-settlement:${paymentId}`);
      assert.equal(confirmation?.status, 'pending');
      assert.deepEqual(confirmation?.runAt, at(HOUR));
      assert.deepEqual(confirmation?.payload, { paymentId });

      // Before the scheme's confirmation is due, nothing changes.
      assert.deepEqual(await scheduler.runDue(at(HOUR - 1)), { done: 0, retried: 0, failed: 0, lost: 0, released: 0 });
      assert.equal((await findDomesticPayment(paymentId))?.status, 'booked');

      // The scheme confirms: ACSC, with the ledger untouched (the money left with the first step).
      assert.deepEqual(await scheduler.runDue(at(HOUR)), { done: 1, retried: 0, failed: 0, lost: 0, released: 0 });
      const settled = (await findDomesticPayment(paymentId))!;
      assert.equal(settled.status, 'settled');
      assert.deepEqual(settled.statusUpdatedAt, at(HOUR));
      assert.equal(settled.coreRef, sent.coreRef);
      assert.deepEqual(settled.executedAt, T0);
      assert.equal(await entriesOf(paymentId), 1);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n - 4_00n);
      assert.equal((await core.getBalances(clearing))!.bookedMinor, clearingBefore + 4_00n);
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked', 'settled']);
      assert.deepEqual(await scheduler.runDue(at(2 * HOUR)), { done: 0, retried: 0, failed: 0, lost: 0, released: 0 }, 'nothing is left to run');
    });

    it('a worker that crashes between the two steps leaves the confirmation job to complete the payment, with one event per status', async () => {
      const { paymentId } = await submittedPayment('2.00');
      const scheme = new SandboxPaymentScheme();
      const payments = paymentsOf(database.db, scheme);
      const real = jobOf<TransactionalJobHandler<PaymentSettlementPayload>>(payments, CONFIRM_PAYMENT_SETTLEMENT_JOB);
      let crashes = 0;
      const crashingOnce: TransactionalJobHandler<PaymentSettlementPayload> = {
        transactional: true,
        async run(job, trx) {
          await real.run(job, trx);
          if (crashes++ === 0) throw new SimulatedCrash('worker died before commit');
        },
      };
      const scheduler = new Scheduler(database.db, silentLogger, { clock: () => T0, retry: { baseMs: 1000, maxMs: 1000 } })
        .register(EXECUTE_DOMESTIC_PAYMENT_JOB, jobOf(payments, EXECUTE_DOMESTIC_PAYMENT_JOB))
        .register(CONFIRM_PAYMENT_SETTLEMENT_JOB, crashingOnce);

      assert.deepEqual(await scheduler.runDue(T0), { done: 1, retried: 1, failed: 0, lost: 0, released: 0 });
      assert.equal((await findDomesticPayment(paymentId))?.status, 'booked', 'the crashed confirmation changed nothing');
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked']);

      assert.deepEqual(await scheduler.runDue(at(2000)), { done: 1, retried: 0, failed: 0, lost: 0, released: 0 });
      assert.equal((await findDomesticPayment(paymentId))?.status, 'settled');
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked', 'settled']);
      assert.equal(await entriesOf(paymentId), 1);
    });

    it('a scheme that has not confirmed when asked leaves the payment in process and the job to ask again', async () => {
      const { paymentId } = await submittedPayment('1.00');
      let confirmed = false;
      const scheme: PaymentScheme = { settlementCheckAt: (_payment, sentAt) => sentAt, isSettled: async () => confirmed };
      const scheduler = paymentScheduler(database.db, scheme);
      assert.deepEqual(await scheduler.runDue(T0), { done: 1, retried: 1, failed: 0, lost: 0, released: 0 });
      assert.equal((await findDomesticPayment(paymentId))?.status, 'booked');
      const waiting = await findJob(database.db, `payment-settlement:${paymentId}`);
      assert.equal(waiting?.status, 'pending');
      assert.deepEqual(waiting?.runAt, at(1000), 'asked again after the backoff');
      confirmed = true;
      assert.deepEqual(await scheduler.runDue(at(1000)), { done: 1, retried: 0, failed: 0, lost: 0, released: 0 });
      assert.equal((await findDomesticPayment(paymentId))?.status, 'settled');
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'booked', 'settled']);
    });

    it('insufficient funds reject the payment with AM04 and leave no ledger trace', async () => {
      const { paymentId, debtor } = await submittedPayment('100.01');
      await paymentScheduler(database.db).runDue(T0);
      const payment = (await findDomesticPayment(paymentId))!;
      assert.equal(payment.status, 'rejected');
      assert.deepEqual(payment.statusReason?.code, 'AM04');
      assert.equal(await entriesOf(paymentId), 0);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n);
      assert.deepEqual(await statusEventsOf(paymentId), ['pending', 'rejected']);
      assert.equal(await findJob(database.db, `payment-settlement:${paymentId}`), undefined, 'nothing went to the scheme');
    });
  });
}
