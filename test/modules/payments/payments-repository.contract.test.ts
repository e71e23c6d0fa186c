import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createKyselyPaymentFilesRepository } from '../../../src/modules/payments/infra/kysely-payment-files-repository.ts';
import { createKyselyPaymentsRepository } from '../../../src/modules/payments/infra/kysely-payments-repository.ts';
import { createKyselyStandingOrdersRepository } from '../../../src/modules/payments/infra/kysely-standing-orders-repository.ts';
import type { PaymentFilesRepository } from '../../../src/modules/payments/payment-files.repository.port.ts';
import type { PaymentOutcome, PaymentsRepository, PendingPayment } from '../../../src/modules/payments/payments.repository.port.ts';
import type { NewStandingOrderRecord, StandingOrdersRepository } from '../../../src/modules/payments/standing-orders.repository.port.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { createUnitOfWork, type Db, type TxContext, type UnitOfWork } from '../../../src/platform/db/index.ts';
import { testPersonalDataCipher } from '../../support/personal-data-cipher.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

const T0 = new Date('2026-05-04T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** Payments, standing orders and files each belong to a consent (a foreign key): one made for them. */
let db: Db;
const summary = { amountMinor: 12_50n, currency: 'GBP', creditorName: 'Payee', creditorScheme: 'SortCodeAccountNumber', creditorIdentification: '99999912345678', reference: null, debtorAccountId: null };
const newConsentId = async () => (await consentsOf(db).create({ kind: 'domestic-payment', clientId: 'client-1', payment: summary }, T0)).id;

const pending = (consentId: string, overrides: Partial<PendingPayment> = {}): PendingPayment => ({
  id: `pay-${randomUUID()}`,
  kind: 'single',
  reach: 'domestic',
  consentId,
  clientId: 'client-1',
  psuId: 'psu-1',
  debtorAccountId: 'acc-debtor',
  debtor: { scheme: 'SortCodeAccountNumber', identification: '11111112345678', name: 'Alice' },
  creditorAccountId: null,
  amountMinor: 12_50n,
  currency: 'GBP',
  creditor: { name: 'Payee', scheme: 'SortCodeAccountNumber', identification: '99999912345678' },
  reference: 'INV-1',
  shareRefundAccount: false,
  ...overrides,
} as PendingPayment);

const standingOrder = (consentId: string, overrides: Partial<NewStandingOrderRecord> = {}): NewStandingOrderRecord => ({
  id: `pso-${randomUUID()}`,
  reach: 'domestic',
  consentId,
  clientId: 'client-1',
  psuId: 'psu-1',
  debtorAccountId: 'acc-debtor',
  debtor: null,
  creditorAccountId: 'acc-creditor',
  creditor: { name: 'Landlord', scheme: 'SortCodeAccountNumber', identification: '22222287654321' },
  reference: 'RENT',
  shareRefundAccount: true,
  debitCurrency: null,
  schedule: {
    currency: 'GBP',
    firstAmountMinor: 100_00n,
    recurringAmountMinor: 50_00n,
    finalAmountMinor: null,
    firstPaymentAt: at(3_600_000),
    recurringPaymentAt: null,
    finalPaymentAt: null,
    numberOfPayments: 3,
    frequency: 'EvryDay',
    businessDayRule: 'following',
  },
  ...overrides,
});

for (const dialect of DIALECTS) {
  describe(`payments repository contract (${dialect})`, () => {
    let database: TestDatabase;
    let uow: UnitOfWork;
    let payments: PaymentsRepository;
    /** One payment's outcome through `recordOutcomes`: the payment as changed, or undefined when it was not pending. */
    const recordOutcome = async (tx: TxContext, id: string, outcome: PaymentOutcome, now: Date) => (await payments.recordOutcomes(tx, [{ id, outcome }], now))[0];
    let standingOrders: StandingOrdersRepository;
    let files: PaymentFilesRepository;
    before(async () => {
      database = await openTestDatabase(dialect);
      db = database.db;
      uow = createUnitOfWork(database.db);
      const cipher = await testPersonalDataCipher(database.db);
      payments = createKyselyPaymentsRepository(database.db, cipher);
      standingOrders = createKyselyStandingOrdersRepository(database.db, cipher);
      files = createKyselyPaymentFilesRepository(database.db, cipher);
    });
    after(() => database.close());

    describe('payments', () => {
      it('stores a payment pending and finds it as stored, of its kind and reach only', async () => {
        const payment = pending(await newConsentId());
        const stored = await uow.run((tx) => payments.insertPending(tx, payment, T0));
        assert.equal(stored.status, 'pending');
        assert.deepEqual(stored.amount, { amountMinor: 12_50n, currency: 'GBP' });
        assert.deepEqual(stored.debtor, payment.debtor);
        assert.equal(stored.coreRef, null);
        assert.deepEqual(await payments.find(payment.id), stored);
        assert.deepEqual(await payments.find(payment.id, { type: { kind: 'single', reach: 'domestic' } }), stored);
        assert.equal(await payments.find(payment.id, { type: { kind: 'recurring', reach: 'domestic' } }), undefined);
        assert.equal(await payments.find(`pay-${randomUUID()}`), undefined);
      });

      it('a payment written in a transaction that rolls back is not stored', async () => {
        const payment = pending(await newConsentId());
        await assert.rejects(
          uow.run(async (tx) => {
            await payments.insertPending(tx, payment, T0);
            assert.equal((await payments.find(payment.id, { tx }))?.id, payment.id, 'seen inside its transaction');
            throw new Error('submission failed');
          }),
          /submission failed/,
        );
        assert.equal(await payments.find(payment.id), undefined);
      });

      it('marks SentToCore once, several payments in one go: a later hand-over keeps the first time; an unknown id is not answered', async () => {
        const payment = pending(await newConsentId());
        const other = pending(await newConsentId());
        await uow.run((tx) => payments.insertPending(tx, payment, T0));
        await uow.run((tx) => payments.insertPending(tx, other, T0));
        assert.deepEqual((await payments.markSentToCore([payment.id], at(1000))).map((p) => p.id), [payment.id]);
        const both = await payments.markSentToCore([payment.id, other.id, `pay-${randomUUID()}`], at(2000));
        assert.deepEqual(both.map((p) => p.id).sort(), [payment.id, other.id].sort());
        assert.deepEqual((await uow.run((tx) => payments.lock(tx, payment.id)))?.sentToCoreAt, at(1000));
        assert.deepEqual((await uow.run((tx) => payments.lock(tx, other.id)))?.sentToCoreAt, at(2000));
        assert.deepEqual(await payments.markSentToCore([], at(1000)), []);
      });

      it('records outcomes of several payments in one statement, each its own (status, reason, core reference), and a settlement', async () => {
        const [one, two] = [pending(await newConsentId()), pending(await newConsentId())];
        await uow.run(async (tx) => {
          await payments.insertPending(tx, one, T0);
          await payments.insertPending(tx, two, T0);
        });
        const both = await uow.run((tx) =>
          payments.recordOutcomes(
            tx,
            [
              { id: one.id, outcome: { status: 'settled', coreRef: 'core-one' } },
              { id: two.id, outcome: { status: 'rejected', reason: { code: 'AM04', description: 'Insufficient funds' } } },
            ],
            at(1000),
          ),
        );
        assert.deepEqual(
          both.map((p) => [p.id, p.status, p.coreRef, p.statusReason?.code ?? null, p.executedAt]).sort(),
          [[one.id, 'settled', 'core-one', null, at(1000)], [two.id, 'rejected', null, 'AM04', null]].sort(),
        );
        // Only pending payments change: of two recorders the second records nothing.
        assert.deepEqual(await uow.run((tx) => payments.recordOutcomes(tx, [{ id: one.id, outcome: { status: 'booked', coreRef: 'again' } }], at(2000))), []);
        assert.equal((await payments.find(one.id))?.coreRef, 'core-one');
      });

      it('records an outcome (status, reason, core reference) and a settlement', async () => {
        const booked = pending(await newConsentId());
        await uow.run((tx) => payments.insertPending(tx, booked, T0));
        const sent = await uow.run((tx) => recordOutcome(tx, booked.id, { status: 'booked', coreRef: 'core-1' }, at(1000)));
        assert.equal(sent?.status, 'booked');
        assert.equal(sent?.coreRef, 'core-1');
        assert.deepEqual(sent?.executedAt, at(1000));
        // An outcome is recorded on a pending payment only: a second recorder changes nothing.
        assert.equal(await uow.run((tx) => recordOutcome(tx, booked.id, { status: 'rejected', reason: { code: 'AM04', description: 'x' } }, at(1500))), undefined);
        assert.equal((await payments.find(booked.id))?.status, 'booked');
        const settled = await uow.run((tx) => payments.markSettled(tx, booked.id, at(2000)));
        assert.equal(settled.status, 'settled');
        assert.equal(settled.coreRef, 'core-1');
        assert.deepEqual(settled.statusUpdatedAt, at(2000));

        const refused = pending(await newConsentId());
        await uow.run((tx) => payments.insertPending(tx, refused, T0));
        const rejected = await uow.run((tx) => recordOutcome(tx, refused.id, { status: 'rejected', reason: { code: 'AM04', description: 'Insufficient funds' } }, at(1000)));
        assert.deepEqual(rejected?.statusReason, { code: 'AM04', description: 'Insufficient funds' });
        assert.equal(rejected?.executedAt, null);
      });

      it('records a conversion: the debit and the hand-over together', async () => {
        const payment = pending(await newConsentId(), { kind: 'scheduled', reach: 'international', amountMinor: 10_00n });
        await uow.run((tx) => payments.insertPending(tx, payment, T0));
        const converted = await uow.run((tx) => payments.recordConversion(tx, payment.id, 8_57n, at(1000)));
        assert.equal(converted.amount.amountMinor, 8_57n);
        assert.deepEqual((await uow.run((tx) => payments.lock(tx, payment.id)))?.sentToCoreAt, at(1000));
      });

      it('sums the VRPs of a consent since a date, but the rejected ones and other consents', async () => {
        const consentId = await newConsentId();
        const vrp = (amountMinor: bigint, createdAt: Date) => ({ payment: pending(consentId, { kind: 'recurring', reach: 'domestic', amountMinor }), createdAt });
        const made = [vrp(1_00n, at(0)), vrp(2_00n, at(10_000)), vrp(4_00n, at(20_000))];
        for (const { payment, createdAt } of made) await uow.run((tx) => payments.insertPending(tx, payment, createdAt));
        await uow.run((tx) => recordOutcome(tx, made[2]!.payment.id, { status: 'rejected', reason: { code: 'AM04', description: 'x' } }, at(30_000)));
        const other = pending(await newConsentId(), { kind: 'recurring', reach: 'domestic', amountMinor: 8_00n });
        await uow.run((tx) => payments.insertPending(tx, other, at(10_000)));
        const used = await payments.recurringSince(consentId, at(5000));
        assert.deepEqual(used, [{ amountMinor: 2_00n, createdAt: at(10_000) }]);
        assert.equal((await uow.run((tx) => payments.recurringSince(consentId, at(0), tx))).length, 2);
      });

      it('keeps exchange-rate terms by owner, with their expiry as a date', async () => {
        const owner = `owner-${randomUUID()}`;
        const terms = { rateType: 'Agreed' as const, unitCurrency: 'GBP', targetCurrency: 'EUR', rate: '1.1700', contractIdentification: 'c-1', expiresAt: at(60_000) };
        await uow.run((tx) => payments.saveExchangeRate(tx, owner, terms));
        assert.deepEqual(await payments.findExchangeRate(owner), terms);
        assert.equal(await payments.findExchangeRate(`owner-${randomUUID()}`), undefined);
      });
    });

    describe('standing orders', () => {
      it('stores an order pending with its schedule and finds it', async () => {
        const order = standingOrder(await newConsentId());
        const stored = await uow.run((tx) => standingOrders.insert(tx, order, T0));
        assert.equal(stored.status, 'pending');
        assert.equal(stored.reach, 'domestic');
        assert.deepEqual(stored.schedule, order.schedule);
        assert.equal(stored.shareRefundAccount, true);
        assert.deepEqual(await standingOrders.find(order.id), stored);
        assert.deepEqual(await uow.run((tx) => standingOrders.lock(tx, order.id)), stored);
        assert.equal(await standingOrders.find(`pso-${randomUUID()}`), undefined);
      });

      it('keeps an international order’s reach and debit currency', async () => {
        const consentId = await newConsentId();
        const order = standingOrder(consentId, { reach: 'international', debitCurrency: 'GBP', schedule: { ...standingOrder(consentId).schedule, currency: 'EUR' } });
        const stored = await uow.run((tx) => standingOrders.insert(tx, order, T0));
        assert.equal(stored.reach, 'international');
        assert.equal(stored.debitCurrency, 'GBP');
        assert.equal(stored.schedule.currency, 'EUR');
      });

      it('records instalments with their payments, finds them by number and by payment, and lists them in order', async () => {
        const order = standingOrder(await newConsentId());
        await uow.run((tx) => standingOrders.insert(tx, order, T0));
        const first = pending(order.consentId, { kind: 'standing-order', reach: 'domestic', amountMinor: 100_00n });
        const second = pending(order.consentId, { kind: 'standing-order', reach: 'domestic', amountMinor: 50_00n });
        await uow.run(async (tx) => {
          await payments.insertPending(tx, second, at(2000));
          await standingOrders.addInstalment(tx, { standingOrderId: order.id, number: 2, paymentId: second.id, dueAt: at(2000) });
          await payments.insertPending(tx, first, at(1000));
          await standingOrders.addInstalment(tx, { standingOrderId: order.id, number: 1, paymentId: first.id, dueAt: at(1000) });
        });
        assert.equal((await uow.run((tx) => standingOrders.findInstalmentPayment(tx, order.id, 1)))?.id, first.id);
        assert.equal(await uow.run((tx) => standingOrders.findInstalmentPayment(tx, order.id, 3)), undefined);
        assert.deepEqual(await uow.run((tx) => standingOrders.instalmentOf(tx, second.id)), { standingOrderId: order.id, number: 2, dueAt: at(2000) });
        assert.equal(await uow.run((tx) => standingOrders.instalmentOf(tx, `pay-${randomUUID()}`)), undefined);
        const listed = await standingOrders.listInstalments(order.id);
        assert.deepEqual(listed.map((i) => [i.number, i.payment.id, i.dueAt.getTime()]), [[1, first.id, at(1000).getTime()], [2, second.id, at(2000).getTime()]]);

        // The last paid instalment is the latest not rejected.
        assert.deepEqual(await uow.run((tx) => standingOrders.lastPaidInstalment(tx, order.id)), { number: 2, dueAt: at(2000) });
        await uow.run((tx) => recordOutcome(tx, second.id, { status: 'rejected', reason: { code: 'AM04', description: 'x' } }, at(3000)));
        assert.deepEqual(await uow.run((tx) => standingOrders.lastPaidInstalment(tx, order.id)), { number: 1, dueAt: at(1000) });
        assert.equal(await uow.run((tx) => standingOrders.lastPaidInstalment(tx, `pso-${randomUUID()}`)), undefined);
      });

      it('settles the set-up: set up, or failed with the reason', async () => {
        const ok = standingOrder(await newConsentId());
        const refused = standingOrder(await newConsentId());
        await uow.run(async (tx) => {
          await standingOrders.insert(tx, ok, T0);
          await standingOrders.insert(tx, refused, T0);
          await standingOrders.recordSetUp(tx, ok.id, 'set-up', null, at(1000));
          await standingOrders.recordSetUp(tx, refused.id, 'failed', { code: 'AM04', description: 'Insufficient funds' }, at(1000));
        });
        const setUp = await standingOrders.find(ok.id);
        assert.equal(setUp?.status, 'set-up');
        assert.equal(setUp?.statusReason, null);
        assert.deepEqual(setUp?.statusUpdatedAt, at(1000));
        const failed = await standingOrders.find(refused.id);
        assert.equal(failed?.status, 'failed');
        assert.deepEqual(failed?.statusReason, { code: 'AM04', description: 'Insufficient funds' });
      });
    });

    describe('payment files', () => {
      const declaration = (consentId: string) => ({
        consentId,
        fileType: 'UK.OBIE.PaymentInitiation.4.0',
        fileHash: 'hash',
        fileReference: 'FILE-1',
        numberOfTransactions: 2,
        controlSum: '3.00',
        requestedExecutionAt: at(60_000),
        debtorAccountId: null,
      });
      const entry = (amountMinor: string) => ({
        amountMinor,
        currency: 'GBP',
        creditorName: 'Payee',
        creditorScheme: 'SortCodeAccountNumber',
        creditorIdentification: '99999912345678',
        reference: null,
        instruction: { amount: amountMinor },
      });

      it('keeps a declared file, then its upload once, with its entries', async () => {
        const consentId = await newConsentId();
        await uow.run((tx) => files.declare(tx, declaration(consentId)));
        assert.deepEqual(await files.findDeclared(consentId), declaration(consentId));
        assert.deepEqual(await files.findEntries(consentId), { entries: [], requestedExecutionAt: at(60_000) });
        assert.equal(await files.findUpload(consentId), undefined);

        const entries = [entry('100'), entry('200')];
        await uow.run((tx) => files.storeUpload(tx, consentId, { content: Buffer.from('file'), contentType: 'application/json', entries }, at(1000)));
        await uow.run((tx) => files.storeUpload(tx, consentId, { content: Buffer.from('other'), contentType: 'text/plain', entries: [] }, at(2000)));
        assert.deepEqual(await files.findUpload(consentId), { content: Buffer.from('file'), contentType: 'application/json' });
        assert.deepEqual((await files.findEntries(consentId)).entries, entries);
        assert.equal(await files.findDeclared(`consent-${randomUUID()}`), undefined);
      });

      it('stores a file payment with its payments in the order of the file', async () => {
        const consentId = await newConsentId();
        const entries = [entry('100'), entry('200')];
        await uow.run(async (tx) => {
          await files.declare(tx, declaration(consentId));
          await files.storeUpload(tx, consentId, { content: Buffer.from('file'), contentType: 'application/json', entries }, T0);
        });
        const id = `pfp-${randomUUID()}`;
        const [a, b] = [pending(consentId, { kind: 'file', reach: 'domestic' }), pending(consentId, { kind: 'file', reach: 'domestic' })];
        await uow.run(async (tx) => {
          await payments.insertPending(tx, b, T0);
          await payments.insertPending(tx, a, T0);
          await files.insertFilePayment(tx, { id, consentId, clientId: 'client-1', psuId: 'psu-1', createdAt: at(1000) }, [a.id, b.id]);
        });
        const stored = await files.findFilePayment(id);
        assert.deepEqual(stored?.payments.map((p) => p.id), [a.id, b.id]);
        assert.deepEqual(stored?.entries, entries);
        assert.deepEqual(stored?.createdAt, at(1000));
        assert.equal(stored?.clientId, 'client-1');
        assert.equal(await files.findFilePayment(`pfp-${randomUUID()}`), undefined);
      });
    });
  });
}
