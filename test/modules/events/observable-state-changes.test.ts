import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConsentsModule, type PaymentSummary } from '../../../src/modules/consents/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import '../../../src/modules/payments/index.ts';
import '../../../src/modules/directory/index.ts';
import '../../../src/core/index.ts';
import '../../../src/modules/signing-baskets/index.ts';
import { createUnitOfWork } from '../../../src/platform/db/index.ts';
import { listEventDefinitions } from '../../../src/platform/events/index.ts';
import { Scheduler } from '../../../src/platform/scheduler/index.ts';
import { DIALECTS, useTestDatabaseAndCache } from '../../support/backends.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { obAccess } from '../../support/ob-access.ts';

const READ = ['ReadAccountsDetail', 'ReadBalances'];
const PAYMENT: PaymentSummary = {
  amountMinor: 1050n,
  currency: 'GBP',
  creditorName: 'Bob',
  creditorScheme: 'SortCodeAccountNumber',
  creditorIdentification: '40400412345678',
  reference: 'Rent',
  debtorAccountId: null,
};

it('the catalogue declares each event of the contract once, at each version consumers read', () => {
  const declared = listEventDefinitions().map((d) => `${d.aggregateType}/${d.type}.v${d.version}`).sort();
  assert.deepEqual(declared, [
    'consent/AccountAccessLinkedAccountsChanged.v1',
    'consent/ConsentCreated.v1',
    'consent/ConsentCreated.v2',
    'consent/ConsentStatusChanged.v1',
    'consent/ConsentStatusChanged.v2',
    'core-account/AccountChanged.v1',
    'core-account/OrdersChanged.v1',
    'core-entry/Posted.v1',
    'core-payment/PaymentStatusChanged.v1',
    'payment/PaymentStatusChanged.v2',
    'register-entity/RegisterStandingChanged.v1',
    'signing-basket/SigningBasketStatusChanged.v1',
    'standing-order/StandingOrderProgressed.v2',
    'tpp-certificate/CertificateExpiring.v1',
    'tpp-certificate/CertificateExpiring.v2',
  ]);
});

/**
 * Every consent state change a TPP, PSU or operator can observe, driven through the use cases,
 * leaves its event in the outbox with its aggregate version and the TPP concerned. (Payment status
 * changes: execute-domestic-payment, payment-settlement and payments-crash-safety tests; standing
 * order progress: domestic-scheduled-and-standing-orders.)
 */
for (const dialect of DIALECTS) {
  describe(`every observable consent state change emits its event (${dialect})`, () => {
    const backends = useTestDatabaseAndCache(dialect);
    const { cache } = backends;
    const database = { get db() { return backends.database().db; } };

    const eventsOf = async (consentId: string) =>
      (
        await database.db
          .selectFrom('outbox_events')
          .select(['event_type', 'aggregate_version', 'tpp_client_id', 'payload', 'occurred_at'])
          .where('aggregate_type', '=', 'consent')
          .where('aggregate_id', '=', consentId)
          .orderBy('seq')
          .execute()
      ).map((e) => ({ type: e.event_type, v: e.aggregate_version, tpp: e.tpp_client_id, payload: e.payload as Record<string, unknown>, at: e.occurred_at }));
    const summary = (events: Awaited<ReturnType<typeof eventsOf>>) => events.map((e) => [e.v, e.type, e.payload['status'] ?? e.payload['accountIds']]);
    const stage = (clientId = 'tpp-events') => consentsOf(database.db).create({ kind: 'account-access', clientId, access: obAccess(READ) });
    const authorised = async (accountIds = ['acc-1', 'acc-2']) => {
      const consent = await stage();
      await consentsOf(database.db).authorise(consent.id, { psuId: 'psu-1', partyId: 'party-1', accountIds });
      return consent;
    };

    it('created, authorised with its linked accounts', async () => {
      const consent = await authorised();
      const events = await eventsOf(consent.id);
      assert.deepEqual(summary(events), [
        [1, 'ConsentCreated', 'awaiting-authorisation'],
        [2, 'ConsentStatusChanged', 'authorised'],
        [3, 'AccountAccessLinkedAccountsChanged', ['acc-1', 'acc-2']],
      ]);
      assert.deepEqual([...new Set(events.map((e) => e.tpp))], ['tpp-events']);
    });

    it('rejected by the PSU', async () => {
      const consent = await stage();
      await consentsOf(database.db).reject(consent.id);
      assert.deepEqual(summary(await eventsOf(consent.id)), [
        [1, 'ConsentCreated', 'awaiting-authorisation'],
        [2, 'ConsentStatusChanged', 'rejected'],
      ]);
    });

    it('revoked by the TPP and by the PSU, saying who', async () => {
      for (const by of ['TPP', 'PSU'] as const) {
        const consent = await authorised();
        await consentsOf(database.db, cache).revoke(consent.id, by);
        const last = (await eventsOf(consent.id)).at(-1)!;
        assert.deepEqual([last.v, last.type, last.payload], [4, 'ConsentStatusChanged', { consentId: consent.id, status: 'revoked', by }]);
      }
    });

    it('consumed by the payment it was for', async () => {
      const consent = await consentsOf(database.db).create({ kind: 'domestic-payment', clientId: 'tpp-events', payment: PAYMENT });
      await consentsOf(database.db).authorise(consent.id, { psuId: 'psu-1', partyId: 'party-1', accountIds: ['acc-1'] });
      await createUnitOfWork(database.db).run((tx) => consentsOf(database.db).consume(tx, consent.id, 'tpp-events'));
      assert.deepEqual(summary(await eventsOf(consent.id)), [
        [1, 'ConsentCreated', 'awaiting-authorisation'],
        [2, 'ConsentStatusChanged', 'authorised'],
        [3, 'ConsentStatusChanged', 'consumed'],
      ]);
    });

    it('a file payment consent whose file was uploaded awaits authorisation', async () => {
      const consent = await consentsOf(database.db).create({ kind: 'file-payment', clientId: 'tpp-events', awaitingUpload: true });
      await createUnitOfWork(database.db).run((tx) => consentsOf(database.db).completeUpload(tx, consent.id, 'tpp-events', { ...PAYMENT, file: { numberOfTransactions: 2 } }));
      assert.deepEqual(summary(await eventsOf(consent.id)), [
        [1, 'ConsentCreated', 'awaiting-upload'],
        [2, 'ConsentStatusChanged', 'awaiting-authorisation'],
      ]);
    });

    it('expired: the recurring expiry job records it, as of the expiry, once', async () => {
      const expiresAt = new Date(Date.now() + 1500);
      const consent = await consentsOf(database.db).create({ kind: 'account-access', clientId: 'tpp-events', access: obAccess(READ), expiresAt });
      await consentsOf(database.db).authorise(consent.id, { psuId: 'psu-1', partyId: 'party-1', accountIds: ['acc-1'] });
      const stillAuthorised = await authorised();
      const scheduler = new Scheduler(database.db, silentLogger, { workerId: 'expiry-test' });
      const consents = createConsentsModule({ db: database.db, cache, expiryIntervalMs: 60_000 });
      scheduler.register(consents.expiryJob.kind, consents.expiryJob.handler);
      // Before the expiry, nothing is recorded, even by a run for a later time.
      await consents.scheduleExpiry(new Date());
      await scheduler.runDue(new Date(Date.now() + 120_000));
      assert.equal((await eventsOf(consent.id)).length, 3);
      while (Date.now() <= expiresAt.getTime()) await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 5));
      await scheduler.runDue(new Date(Date.now() + 240_000));
      await scheduler.runDue(new Date(Date.now() + 360_000));
      const events = await eventsOf(consent.id);
      assert.deepEqual(summary(events), [
        [1, 'ConsentCreated', 'awaiting-authorisation'],
        [2, 'ConsentStatusChanged', 'authorised'],
        [3, 'AccountAccessLinkedAccountsChanged', ['acc-1']],
        [4, 'ConsentStatusChanged', 'expired'],
      ]);
      assert.equal(events[3]!.at.toISOString(), expiresAt.toISOString());
      const read = await consentsOf(database.db).find(consent.id);
      assert.deepEqual([read?.status, read?.statusUpdatedAt.toISOString()], ['expired', expiresAt.toISOString()]);
      assert.equal((await eventsOf(stillAuthorised.id)).length, 3, 'a consent with no expiry is left alone');
      await scheduler.stop();
    });
  });
}
