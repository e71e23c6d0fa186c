import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { internalAccountId, LedgerCoreBanking } from '../../../src/core/index.ts';
import { authoriseConsent, findConsent } from '../../../src/modules/consents/index.ts';
import {
  domesticPaymentExecution,
  EXECUTE_DOMESTIC_PAYMENT_JOB,
  findDomesticPayment,
  PAYMENT_STATUS_CHANGED_SUBJECT,
  stageDomesticPaymentConsent,
  submitDomesticPayment,
  type DomesticPaymentExecutionPayload,
} from '../../../src/modules/payments/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { findJob, Scheduler, type TransactionalJobHandler } from '../../../src/platform/scheduler/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { fund, openAccount } from '../../support/ledger-fixtures.ts';
import { silentLogger } from '../../support/silent-logger.ts';

const T0 = new Date('2026-05-04T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

class SimulatedCrash extends Error {}

for (const dialect of DIALECTS) {
  describe(`domestic payment execution is exactly once and crash-safe (${dialect})`, () => {
    let database: TestDatabase;
    let core: LedgerCoreBanking;
    const clearing = internalAccountId('clearing', 'GBP');

    before(async () => {
      database = await openTestDatabase(dialect);
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
      const consent = await stageDomesticPaymentConsent({ db, core }, { clientId: 'client-1', idempotencyKey: randomUUID(), terms, request }, T0);
      await authoriseConsent(db, consent.id, { psuId: 'psu-1', partyId: `party-${debtor}`, accountIds: [debtor] }, T0);
      const authorised = (await findConsent(db, consent.id, T0))!;
      const { payment } = await submitDomesticPayment(
        { db, cache: new MemoryCache(), core },
        { consent: authorised, consentId: consent.id, terms: request, consentedTerms: request, request: { ...request, ConsentId: consent.id }, idempotencyKey: randomUUID(), shareRefundAccount: false },
        T0,
      );
      assert.equal(payment.status, 'Pending');
      return { paymentId: payment.id, debtor };
    }

    const entriesOf = async (paymentId: string) => (await database.db.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${paymentId}`).execute()).length;
    const eventsOf = async (paymentId: string) =>
      (await database.db.selectFrom('outbox_events').select('payload').where('subject', '=', PAYMENT_STATUS_CHANGED_SUBJECT).execute()).filter(
        (row) => (row.payload as { paymentId: string }).paymentId === paymentId,
      );

    it('a worker that crashes after posting leaves nothing behind; the retry executes the payment once', async () => {
      const { paymentId, debtor } = await submittedPayment('12.50');
      const real = domesticPaymentExecution();
      let crashes = 0;
      // The whole execution runs, then the process "dies" before the transaction commits.
      const crashingOnce: TransactionalJobHandler<DomesticPaymentExecutionPayload> = {
        transactional: true,
        async run(job, trx) {
          await real.run(job, trx);
          if (crashes++ === 0) throw new SimulatedCrash('worker died before commit');
        },
      };
      const scheduler = new Scheduler(database.db, silentLogger, { clock: () => T0, retry: { baseMs: 1000, maxMs: 1000 } }).register(EXECUTE_DOMESTIC_PAYMENT_JOB, crashingOnce);

      const first = await scheduler.runDue(T0);
      assert.equal(first.retried, 1);
      assert.equal((await findDomesticPayment(database.db, paymentId))?.status, 'Pending', 'the crashed attempt changed nothing');
      assert.equal(await entriesOf(paymentId), 0);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n);

      const retry = await scheduler.runDue(at(2000));
      assert.equal(retry.done, 1);
      const payment = (await findDomesticPayment(database.db, paymentId))!;
      assert.equal(payment.status, 'AcceptedSettlementCompleted');
      assert.ok(payment.entryId);
      assert.equal(await entriesOf(paymentId), 1);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n - 12_50n);
      assert.deepEqual((await eventsOf(paymentId)).map((row) => (row.payload as { status: string }).status), ['Pending', 'AcceptedSettlementCompleted']);
      assert.equal((await findJob(database.db, `domestic-payment:${paymentId}`))?.status, 'done');

      assert.deepEqual(await scheduler.runDue(at(60_000)), { done: 0, retried: 0, failed: 0, lost: 0, released: 0 }, 'nothing is left to run');
    });

    it('two workers racing for the same payment: one executes it, the other finds nothing to do', async () => {
      const { paymentId, debtor } = await submittedPayment('3.00');
      const workers = [1, 2].map(() => new Scheduler(database.db, silentLogger, { clock: () => T0 }).register(EXECUTE_DOMESTIC_PAYMENT_JOB, domesticPaymentExecution()));
      const reports = await Promise.all(workers.map((worker) => worker.runDue(T0)));
      assert.equal(reports.reduce((sum, report) => sum + report.done, 0), 1);
      assert.equal(await entriesOf(paymentId), 1);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n - 3_00n);
    });

    it('insufficient funds reject the payment with AM04 and leave no ledger trace (savepoint)', async () => {
      const { paymentId, debtor } = await submittedPayment('100.01');
      await new Scheduler(database.db, silentLogger, { clock: () => T0 }).register(EXECUTE_DOMESTIC_PAYMENT_JOB, domesticPaymentExecution()).runDue(T0);
      const payment = (await findDomesticPayment(database.db, paymentId))!;
      assert.equal(payment.status, 'Rejected');
      assert.deepEqual(payment.statusReason?.code, 'AM04');
      assert.equal(await entriesOf(paymentId), 0);
      assert.equal((await core.getBalances(debtor))!.bookedMinor, 100_00n);
    });
  });
}
