import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../../src/platform/errors/index.ts';
import {
  authoriseConsent,
  ConsentErrors,
  createConsent,
  findConsent,
  getConsentForClient,
  listConsentsOfPsu,
  rejectConsent,
  revokeConsent,
} from '../../../src/modules/consents/index.ts';
import { DIALECTS, useTestDatabaseAndCache } from '../../support/backends.ts';

const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;
const READ = ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'];

for (const dialect of DIALECTS) {
  describe(`consent lifecycle (${dialect})`, () => {
    const backends = useTestDatabaseAndCache(dialect);
    const { cache } = backends;
    const database = { get db() { return backends.database().db; } };

    const stage = (clientId = 'tpp-a', extra: Partial<Parameters<typeof createConsent>[1]> = {}) =>
      createConsent(database.db, { kind: 'account-access', clientId, permissions: READ, ...extra });

    it('stages a consent awaiting authorisation, visible only to its TPP', async () => {
      const consent = await stage();
      assert.equal(consent.status, 'AwaitingAuthorisation');
      assert.match(consent.id, /^aac-[0-9a-f-]{36}$/);
      assert.deepEqual(consent.permissions, READ);
      assert.equal((await getConsentForClient(database.db, consent.id, 'tpp-a', 'account-access')).id, consent.id);
      // Another TPP's consent id (consent-id guessing) answers as an unknown one.
      await assert.rejects(getConsentForClient(database.db, consent.id, 'tpp-b', 'account-access'), failsWith(ConsentErrors.NOT_FOUND.code));
      await assert.rejects(getConsentForClient(database.db, 'aac-does-not-exist', 'tpp-a', 'account-access'), failsWith(ConsentErrors.NOT_FOUND.code));
      await assert.rejects(getConsentForClient(database.db, consent.id, 'tpp-a', 'domestic-payment'), failsWith(ConsentErrors.NOT_FOUND.code));
    });

    it('enforces the AIS permission dependencies', async () => {
      for (const permissions of [[], ['ReadTransactionsBasic'], ['ReadTransactionsCredits'], ['ReadEverything'], ['ReadBalances', 'ReadBalances']]) {
        await assert.rejects(stage('tpp-a', { permissions }), failsWith(ConsentErrors.PERMISSIONS_INVALID.code), JSON.stringify(permissions));
      }
      const ok = await stage('tpp-a', { permissions: ['ReadTransactionsBasic', 'ReadTransactionsDebits'] });
      assert.equal(ok.status, 'AwaitingAuthorisation');
    });

    it('refuses an expiry in the past and an inverted transaction window', async () => {
      await assert.rejects(stage('tpp-a', { expiresAt: new Date(Date.now() - 1000) }), failsWith(ConsentErrors.EXPIRATION_IN_PAST.code));
      await assert.rejects(
        stage('tpp-a', { transactionFrom: new Date('2026-02-01T00:00:00Z'), transactionTo: new Date('2026-01-01T00:00:00Z') }),
        failsWith(ConsentErrors.TRANSACTION_WINDOW_INVALID.code),
      );
    });

    it('is authorised once, with the PSU and the chosen accounts', async () => {
      const consent = await stage();
      const authorised = await authoriseConsent(database.db, consent.id, { psuId: 'psu-1', partyId: 'party-1', accountIds: ['acc-1', 'acc-2'] });
      assert.equal(authorised.status, 'Authorised');
      assert.deepEqual(authorised.accountIds, ['acc-1', 'acc-2']);
      assert.equal(authorised.psuId, 'psu-1');
      // Replayed or concurrent second authorisation.
      await assert.rejects(authoriseConsent(database.db, consent.id, { psuId: 'psu-2', partyId: 'party-2', accountIds: ['acc-9'] }), failsWith(ConsentErrors.NOT_AWAITING_AUTHORISATION.code));
      assert.deepEqual((await findConsent(database.db, consent.id))?.accountIds, ['acc-1', 'acc-2']);
    });

    it('lets exactly one of several concurrent authorisations win', async () => {
      const consent = await stage();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => authoriseConsent(database.db, consent.id, { psuId: `psu-${i}`, partyId: `party-${i}`, accountIds: [`acc-${i}`] })),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    it('is rejected by the PSU, and cannot be authorised afterwards', async () => {
      const consent = await stage();
      assert.equal((await rejectConsent(database.db, consent.id)).status, 'Rejected');
      await assert.rejects(authoriseConsent(database.db, consent.id, { psuId: 'p', partyId: 'p', accountIds: ['a'] }), failsWith(ConsentErrors.NOT_AWAITING_AUTHORISATION.code));
    });

    it('reads as Expired after its expiry, and cannot be authorised once expired', async () => {
      const now = new Date();
      const consent = await stage('tpp-a', { expiresAt: new Date(now.getTime() + 60_000) });
      await authoriseConsent(database.db, consent.id, { psuId: 'p', partyId: 'p', accountIds: ['a'] }, now);
      assert.equal((await findConsent(database.db, consent.id, new Date(now.getTime() + 61_000)))?.status, 'Expired');
      const late = await stage('tpp-a', { expiresAt: new Date(now.getTime() + 60_000) });
      await assert.rejects(authoriseConsent(database.db, late.id, { psuId: 'p', partyId: 'p', accountIds: ['a'] }, new Date(now.getTime() + 61_000)), failsWith(ConsentErrors.NOT_AWAITING_AUTHORISATION.code));
    });

    it('is revoked by the PSU or the TPP, once, and leaves the PSU dashboard', async () => {
      const consent = await stage();
      await authoriseConsent(database.db, consent.id, { psuId: 'psu-dash', partyId: 'p', accountIds: ['a'] });
      assert.deepEqual((await listConsentsOfPsu(database.db, 'psu-dash')).map((c) => c.id), [consent.id]);
      const revoked = await revokeConsent(database.db, cache, consent.id, 'PSU');
      assert.equal(revoked.status, 'Revoked');
      assert.equal(revoked.revokedBy, 'PSU');
      assert.deepEqual(await listConsentsOfPsu(database.db, 'psu-dash'), []);
      await assert.rejects(revokeConsent(database.db, cache, consent.id, 'TPP'), failsWith(ConsentErrors.ALREADY_REVOKED.code));
    });

    it('writes an outbox event for creation and each status change', async () => {
      const consent = await stage();
      await authoriseConsent(database.db, consent.id, { psuId: 'p', partyId: 'p', accountIds: ['a'] });
      const events = await database.db
        .selectFrom('outbox_events')
        .select(['subject', 'event_type', 'event_version', 'aggregate_type', 'aggregate_version', 'tpp_client_id', 'payload'])
        .where('aggregate_id', '=', consent.id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(events, [
        {
          subject: `consent.${consent.id}.ConsentCreated.v1`,
          event_type: 'ConsentCreated',
          event_version: 1,
          aggregate_type: 'consent',
          aggregate_version: 1,
          tpp_client_id: 'tpp-a',
          payload: { consentId: consent.id, kind: 'account-access', status: 'AwaitingAuthorisation' },
        },
        {
          subject: `consent.${consent.id}.ConsentStatusChanged.v1`,
          event_type: 'ConsentStatusChanged',
          event_version: 1,
          aggregate_type: 'consent',
          aggregate_version: 2,
          tpp_client_id: 'tpp-a',
          payload: { consentId: consent.id, status: 'Authorised' },
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
