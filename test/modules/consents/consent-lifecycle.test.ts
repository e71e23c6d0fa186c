import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { ConsentErrors, type AccessScope, type NewConsent, type PaymentSummary } from '../../../src/modules/consents/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { RENT_PAYMENT } from './rent-payment.ts';
import { DIALECTS, useTestDatabaseAndCache } from '../../support/backends.ts';

const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;
const PAYMENT: PaymentSummary = RENT_PAYMENT;
const WINDOW: AccessScope['window'] = { from: null, to: null };
const READ: AccessScope = {
  clusters: { accounts: 'detail', balances: 'basic', transactions: 'detail' },
  directions: { credits: true, debits: true },
  window: WINDOW,
  accounts: 'psu-selects',
};

for (const dialect of DIALECTS) {
  describe(`consent lifecycle (${dialect})`, () => {
    const backends = useTestDatabaseAndCache(dialect);
    const { cache } = backends;
    const database = { get db() { return backends.database().db; } };

    const stage = (clientId = 'tpp-a', extra: Partial<NewConsent> = {}) =>
      consentsOf(database.db).create({ kind: 'account-access', clientId, access: READ, ...extra });

    it('stages a consent awaiting authorisation, visible only to its TPP', async () => {
      const consent = await stage();
      assert.equal(consent.status, 'awaiting-authorisation');
      assert.match(consent.id, /^aac-[0-9a-f-]{36}$/);
      assert.deepEqual(consent.purpose, { type: 'account-access', scope: READ });
      assert.equal((await consentsOf(database.db).findForClient({ id: consent.id, clientId: 'tpp-a', kind: 'account-access' })).id, consent.id);
      // Another TPP's consent id (consent-id guessing) answers as an unknown one.
      await assert.rejects(consentsOf(database.db).findForClient({ id: consent.id, clientId: 'tpp-b', kind: 'account-access' }), failsWith(ConsentErrors.NOT_FOUND.code));
      await assert.rejects(consentsOf(database.db).findForClient({ id: 'aac-does-not-exist', clientId: 'tpp-a', kind: 'account-access' }), failsWith(ConsentErrors.NOT_FOUND.code));
      await assert.rejects(consentsOf(database.db).findForClient({ id: consent.id, clientId: 'tpp-a', kind: 'domestic-payment' }), failsWith(ConsentErrors.NOT_FOUND.code));
    });

    it('refuses a scope that grants nothing, transactions without a direction and a direction without transactions', async () => {
      const none = { credits: false, debits: false };
      const invalid: AccessScope[] = [
        { ...READ, clusters: {}, directions: none },
        { ...READ, clusters: { transactions: 'basic' }, directions: none },
        { ...READ, clusters: { balances: 'basic' }, directions: { credits: true, debits: false } },
      ];
      for (const access of invalid) {
        await assert.rejects(stage('tpp-a', { access }), failsWith(ConsentErrors.PERMISSIONS_INVALID.code), JSON.stringify(access));
      }
      await assert.rejects(stage('tpp-a', { access: undefined }), failsWith(ConsentErrors.PERMISSIONS_INVALID.code), 'no scope');
      const ok = await stage('tpp-a', { access: { ...READ, clusters: { transactions: 'basic' }, directions: { credits: false, debits: true } } });
      assert.equal(ok.status, 'awaiting-authorisation');
    });

    it('keeps the purpose of each kind: a payment and its summary, a funds check', async () => {
      const payment = await consentsOf(database.db).create({ kind: 'domestic-payment', clientId: 'tpp-a', payment: PAYMENT });
      assert.deepEqual(payment.purpose, { type: 'payment', payment: PAYMENT });
      const funds = await consentsOf(database.db).create({ kind: 'funds-confirmation', clientId: 'tpp-a' });
      assert.deepEqual(funds.purpose, { type: 'funds-confirmation' });
    });

    it('refuses an expiry in the past and an inverted transaction window', async () => {
      await assert.rejects(stage('tpp-a', { expiresAt: new Date(Date.now() - 1000) }), failsWith(ConsentErrors.EXPIRATION_IN_PAST.code));
      await assert.rejects(
        stage('tpp-a', { access: { ...READ, window: { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') } } }),
        failsWith(ConsentErrors.TRANSACTION_WINDOW_INVALID.code),
      );
    });

    it('is authorised once, with the PSU and the chosen accounts', async () => {
      const consent = await stage();
      const authorised = await consentsOf(database.db).authorise(consent.id, { psuId: 'psu-1', partyId: 'party-1', accountIds: ['acc-1', 'acc-2'] });
      assert.equal(authorised.status, 'authorised');
      assert.deepEqual(authorised.accountIds, ['acc-1', 'acc-2']);
      assert.equal(authorised.psuId, 'psu-1');
      // Replayed or concurrent second authorisation.
      await assert.rejects(consentsOf(database.db).authorise(consent.id, { psuId: 'psu-2', partyId: 'party-2', accountIds: ['acc-9'] }), failsWith(ConsentErrors.NOT_AWAITING_AUTHORISATION.code));
      assert.deepEqual((await consentsOf(database.db).find(consent.id))?.accountIds, ['acc-1', 'acc-2']);
    });

    it('lets exactly one of several concurrent authorisations win', async () => {
      const consent = await stage();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => consentsOf(database.db).authorise(consent.id, { psuId: `psu-${i}`, partyId: `party-${i}`, accountIds: [`acc-${i}`] })),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    it('is rejected by the PSU, and cannot be authorised afterwards', async () => {
      const consent = await stage();
      assert.equal((await consentsOf(database.db).reject(consent.id)).status, 'rejected');
      await assert.rejects(consentsOf(database.db).authorise(consent.id, { psuId: 'p', partyId: 'p', accountIds: ['a'] }), failsWith(ConsentErrors.NOT_AWAITING_AUTHORISATION.code));
    });

    it('reads as Expired after its expiry, and cannot be authorised once expired', async () => {
      const now = new Date();
      const consent = await stage('tpp-a', { expiresAt: new Date(now.getTime() + 60_000) });
      await consentsOf(database.db).authorise(consent.id, { psuId: 'p', partyId: 'p', accountIds: ['a'] }, now);
      assert.equal((await consentsOf(database.db).find(consent.id, new Date(now.getTime() + 61_000)))?.status, 'expired');
      const late = await stage('tpp-a', { expiresAt: new Date(now.getTime() + 60_000) });
      await assert.rejects(consentsOf(database.db).authorise(late.id, { psuId: 'p', partyId: 'p', accountIds: ['a'] }, new Date(now.getTime() + 61_000)), failsWith(ConsentErrors.NOT_AWAITING_AUTHORISATION.code));
    });

    it('is revoked by the PSU or the TPP, once, and leaves the PSU dashboard', async () => {
      const consent = await stage();
      await consentsOf(database.db).authorise(consent.id, { psuId: 'psu-dash', partyId: 'p', accountIds: ['a'] });
      assert.deepEqual((await consentsOf(database.db).listOfPsu('psu-dash')).map((c) => c.id), [consent.id]);
      const revoked = await consentsOf(database.db, cache).revoke(consent.id, 'PSU');
      assert.equal(revoked.status, 'revoked');
      assert.equal(revoked.revokedBy, 'PSU');
      assert.deepEqual(await consentsOf(database.db).listOfPsu('psu-dash'), []);
      await assert.rejects(consentsOf(database.db, cache).revoke(consent.id, 'TPP'), failsWith(ConsentErrors.ALREADY_REVOKED.code));
    });

    it('writes an outbox event for creation and each status change', async () => {
      const consent = await stage();
      await consentsOf(database.db).authorise(consent.id, { psuId: 'p', partyId: 'p', accountIds: ['a'] });
      const events = await database.db
        .selectFrom('outbox_events')
        .select(['subject', 'event_type', 'event_version', 'aggregate_type', 'aggregate_version', 'tpp_client_id', 'payload'])
        .where('aggregate_id', '=', consent.id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(events, [
        {
          subject: `consent.${consent.id}.ConsentCreated.v2`,
          event_type: 'ConsentCreated',
          event_version: 2,
          aggregate_type: 'consent',
          aggregate_version: 1,
          tpp_client_id: 'tpp-a',
          payload: { consentId: consent.id, kind: 'account-access', status: 'awaiting-authorisation' },
        },
        {
          subject: `consent.${consent.id}.ConsentStatusChanged.v2`,
          event_type: 'ConsentStatusChanged',
          event_version: 2,
          aggregate_type: 'consent',
          aggregate_version: 2,
          tpp_client_id: 'tpp-a',
          payload: { consentId: consent.id, status: 'authorised' },
        },
        {
          subject: `consent.${consent.id}.AccountAccessLinkedAccountsChanged.v1`,
          event_type: 'AccountAccessLinkedAccountsChanged',
          event_version: 1,
          aggregate_type: 'consent',
          aggregate_version: 3,
          tpp_client_id: 'tpp-a',
          payload: { consentId: consent.id, accountIds: ['a'] },
        },
      ]);
    });
  });
}
