import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AccessScope, ConsentKind, PaymentSummary } from '../../../src/modules/consents/index.ts';
import type { ConsentsRepository, NewConsentRecord } from '../../../src/modules/consents/consents.repository.port.ts';
import { createKyselyConsentsRepository } from '../../../src/modules/consents/infra/kysely-consents-repository.ts';
import { createUnitOfWork, type UnitOfWork } from '../../../src/platform/db/index.ts';
import { testPersonalDataCipher } from '../../support/personal-data-cipher.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { RENT_PAYMENT } from './rent-payment.ts';

const T0 = new Date('2026-05-04T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const SCOPE: AccessScope = {
  clusters: { accounts: 'detail', transactions: 'basic' },
  directions: { credits: true, debits: false },
  window: { from: new Date('2026-01-01T00:00:00Z'), to: null },
  accounts: { named: { accounts: [{ scheme: 'iban', identification: 'GB33BUKB20201555555555' }] } },
};
// A standing order with VRP-style controls too: every part of a summary, and an amount beyond 2^32 minor units.
const PAYMENT: PaymentSummary = {
  ...RENT_PAYMENT,
  amountMinor: 123_456_789_012n,
  controls: { validFrom: T0, validTo: null, periodicLimits: [{ periodType: 'Month', alignment: 'Calendar', amountMinor: 50_000n }] },
  schedule: { firstPaymentAt: at(86_400_000), frequency: 'EvryDay', numberOfPayments: 3, finalPaymentAt: null },
};
const AUTHORISATION = { psuId: 'psu-1', partyId: 'party-1', accountIds: ['acc-1', 'acc-2'], grantId: null, scaBinding: null };

for (const dialect of DIALECTS) {
  describe(`consents repository contract (${dialect})`, () => {
    let database: TestDatabase;
    let uow: UnitOfWork;
    let repository: ConsentsRepository;
    before(async () => {
      database = await openTestDatabase(dialect);
      uow = createUnitOfWork(database.db);
      // As the platform keeps them: payment summaries and named accounts encrypted.
      repository = createKyselyConsentsRepository(database.db, await testPersonalDataCipher(database.db));
    });
    after(() => database.close());

    const record = (kind: ConsentKind, extra: Partial<NewConsentRecord> = {}): NewConsentRecord => ({
      id: `${kind}-${randomUUID()}`,
      kind,
      clientId: 'tpp-a',
      status: 'awaiting-authorisation',
      createdAt: T0,
      access: null,
      expiresAt: null,
      accountIds: [],
      payment: null,
      ...extra,
    });
    const insert = (consent: NewConsentRecord) => uow.run((tx) => repository.insert(tx, consent));
    const authorised = async (extra: Partial<NewConsentRecord> = {}, psuId = 'psu-1') => {
      const consent = await insert(record('account-access', { access: SCOPE, ...extra }));
      await uow.run((tx) => repository.authorise(tx, consent.id, { ...AUTHORISATION, psuId }, T0));
      return consent.id;
    };

    it('stores a consent and reads back every field: the scope with its window, the payment summary in minor units', async () => {
      const access = await insert(record('account-access', { access: SCOPE, expiresAt: at(3_600_000), accountIds: ['acc-9'] }));
      assert.deepEqual(await repository.find(access.id), access);
      assert.equal(access.status, 'awaiting-authorisation');
      assert.deepEqual(access.purpose, { type: 'account-access', scope: SCOPE });
      assert.deepEqual([access.transactionFrom, access.transactionTo, access.expiresAt, access.accountIds], [SCOPE.window.from, null, at(3_600_000), ['acc-9']]);
      // A scope that covers card accounts too keeps the kinds of account it covers.
      const withCards: AccessScope = { ...SCOPE, accounts: 'all-accounts', accountKinds: ['payment', 'card'] };
      const cards = await insert(record('account-access', { access: withCards }));
      assert.deepEqual((await repository.find(cards.id))?.purpose, { type: 'account-access', scope: withCards });
      const payment = await insert(record('domestic-standing-order', { payment: PAYMENT }));
      assert.deepEqual((await repository.find(payment.id))?.payment, PAYMENT);
      assert.deepEqual(payment.purpose, { type: 'payment', payment: PAYMENT });
      const upload = await insert(record('file-payment', { status: 'awaiting-upload' }));
      assert.deepEqual([upload.status, upload.purpose], ['awaiting-upload', { type: 'payment', payment: null }]);
      assert.deepEqual((await insert(record('funds-confirmation'))).purpose, { type: 'funds-confirmation' });
      assert.equal(await repository.find(`aac-${randomUUID()}`), undefined);
    });

    it('a consent inserted in a transaction is found in it, and is gone when it rolls back', async () => {
      const consent = record('account-access', { access: SCOPE });
      await assert.rejects(
        uow.run(async (tx) => {
          await repository.insert(tx, consent);
          assert.equal((await repository.find(consent.id, tx))?.id, consent.id);
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.equal(await repository.find(consent.id), undefined);
    });

    it('authorises once: records the PSU, accounts, grant and binding; refuses a second authorisation and an expired consent', async () => {
      const consent = await insert(record('domestic-payment', { payment: PAYMENT }));
      const grantId = `grant-${randomUUID()}`;
      const done = await uow.run((tx) => repository.authorise(tx, consent.id, { ...AUTHORISATION, grantId, scaBinding: 'binding' }, at(1000)));
      assert.deepEqual(
        [done?.status, done?.psuId, done?.partyId, done?.accountIds, done?.grantId, done?.scaBinding, done?.authorisedAt, done?.statusUpdatedAt],
        ['authorised', 'psu-1', 'party-1', ['acc-1', 'acc-2'], grantId, 'binding', at(1000), at(1000)],
      );
      assert.equal((await repository.findByGrant(grantId))?.id, consent.id);
      assert.equal(await uow.run((tx) => repository.authorise(tx, consent.id, AUTHORISATION, at(2000))), undefined);
      const expiring = await insert(record('account-access', { access: SCOPE, expiresAt: at(1000) }));
      assert.equal(await uow.run((tx) => repository.authorise(tx, expiring.id, AUTHORISATION, at(1000))), undefined);
      assert.equal(await repository.findByGrant(`grant-${randomUUID()}`), undefined);
    });

    it('rejects only a consent awaiting authorisation', async () => {
      const consent = await insert(record('account-access', { access: SCOPE }));
      assert.equal((await uow.run((tx) => repository.reject(tx, consent.id, at(1000))))?.status, 'rejected');
      assert.equal(await uow.run((tx) => repository.reject(tx, consent.id, at(2000))), undefined);
      assert.equal(await uow.run((tx) => repository.authorise(tx, consent.id, AUTHORISATION, at(2000))), undefined);
    });

    it('refuses only an authorised consent, once, recording why; no other change records a reason', async () => {
      const reason = { code: 'PAYMENT.DEBTOR_ACCOUNT_UNKNOWN', description: 'DebtorAccount is not an account this bank can debit' };
      const awaiting = await insert(record('domestic-payment', { payment: PAYMENT }));
      assert.equal(awaiting.statusReason, null);
      assert.equal(await uow.run((tx) => repository.refuse(tx, awaiting.id, reason, at(1000))), undefined, 'not authorised yet');
      await uow.run((tx) => repository.authorise(tx, awaiting.id, AUTHORISATION, at(1000)));
      const refused = await uow.run((tx) => repository.refuse(tx, awaiting.id, reason, at(2000)));
      assert.deepEqual([refused?.status, refused?.statusReason, refused?.statusUpdatedAt], ['rejected', reason, at(2000)]);
      assert.deepEqual((await repository.find(awaiting.id))?.statusReason, reason);
      assert.equal(await uow.run((tx) => repository.refuse(tx, awaiting.id, { ...reason, code: 'OTHER' }, at(3000))), undefined, 'already refused');
      assert.equal(await uow.run((tx) => repository.consume(tx, awaiting.id, 'tpp-a', at(3000))), undefined, 'a refused consent pays nothing');
      const consumed = await insert(record('domestic-payment', { payment: PAYMENT }));
      await uow.run((tx) => repository.authorise(tx, consumed.id, AUTHORISATION, at(1000)));
      await uow.run((tx) => repository.consume(tx, consumed.id, 'tpp-a', at(2000)));
      assert.equal(await uow.run((tx) => repository.refuse(tx, consumed.id, reason, at(3000))), undefined, 'its payment was made');
      const denied = await insert(record('domestic-payment', { payment: PAYMENT }));
      assert.equal((await uow.run((tx) => repository.reject(tx, denied.id, at(1000))))?.statusReason, null);
    });

    it('revokes an awaiting, authorised or expired consent once, recording who revoked it', async () => {
      const awaiting = await insert(record('account-access', { access: SCOPE }));
      const revoked = await uow.run((tx) => repository.revoke(tx, awaiting.id, 'TPP', at(1000)));
      assert.deepEqual([revoked?.status, revoked?.revokedBy, revoked?.statusUpdatedAt], ['revoked', 'TPP', at(1000)]);
      assert.equal(await uow.run((tx) => repository.revoke(tx, awaiting.id, 'PSU', at(2000))), undefined);
      const id = await authorised();
      assert.equal((await uow.run((tx) => repository.revoke(tx, id, 'PSU', at(1000))))?.revokedBy, 'PSU');
      const expired = await authorised({ expiresAt: at(1000) });
      await uow.run((tx) => repository.expireDue(tx, at(5000), 1000));
      assert.equal((await uow.run((tx) => repository.revoke(tx, expired, 'PSU', at(6000))))?.status, 'revoked');
      const rejected = await insert(record('account-access', { access: SCOPE }));
      await uow.run((tx) => repository.reject(tx, rejected.id, at(1000)));
      assert.equal(await uow.run((tx) => repository.revoke(tx, rejected.id, 'TPP', at(2000))), undefined);
    });

    it('consumes an authorised, unexpired consent of its own client, once', async () => {
      const consent = await insert(record('domestic-payment', { payment: PAYMENT, expiresAt: at(10_000) }));
      assert.equal(await uow.run((tx) => repository.consume(tx, consent.id, 'tpp-a', at(1000))), undefined, 'not yet authorised');
      await uow.run((tx) => repository.authorise(tx, consent.id, AUTHORISATION, at(1000)));
      assert.equal(await uow.run((tx) => repository.consume(tx, consent.id, 'tpp-b', at(2000))), undefined, "another client's");
      assert.equal(await uow.run((tx) => repository.consume(tx, consent.id, 'tpp-a', at(10_000))), undefined, 'expired');
      assert.equal((await uow.run((tx) => repository.consume(tx, consent.id, 'tpp-a', at(2000))))?.status, 'consumed');
      assert.equal(await uow.run((tx) => repository.consume(tx, consent.id, 'tpp-a', at(3000))), undefined, 'already consumed');
    });

    it('of concurrent consumptions exactly one applies', async () => {
      const consent = await insert(record('domestic-payment', { payment: PAYMENT }));
      await uow.run((tx) => repository.authorise(tx, consent.id, AUTHORISATION, at(1000)));
      const results = await Promise.all(Array.from({ length: 4 }, () => uow.run((tx) => repository.consume(tx, consent.id, 'tpp-a', at(2000)))));
      assert.equal(results.filter((result) => result !== undefined).length, 1);
    });

    it('completes the upload of its own client once, storing what the file pays', async () => {
      const consent = await insert(record('file-payment', { status: 'awaiting-upload' }));
      const summary: PaymentSummary = { ...PAYMENT, controls: undefined, schedule: undefined, file: { numberOfTransactions: 2 } };
      assert.equal(await uow.run((tx) => repository.completeUpload(tx, consent.id, 'tpp-b', summary, at(1000))), undefined);
      const done = await uow.run((tx) => repository.completeUpload(tx, consent.id, 'tpp-a', summary, at(1000)));
      assert.deepEqual([done?.status, done?.payment?.file, done?.payment?.amountMinor], ['awaiting-authorisation', { numberOfTransactions: 2 }, PAYMENT.amountMinor]);
      assert.equal(await uow.run((tx) => repository.completeUpload(tx, consent.id, 'tpp-a', summary, at(2000))), undefined);
    });

    it('locks a consent until the transaction ends: a revocation waits for it', async () => {
      const id = await authorised();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = uow.run(async (tx) => {
        assert.equal((await repository.lock(tx, id))?.status, 'authorised');
        locked();
        await held;
      });
      await lockTaken;
      let revokedAt = 0;
      const revocation = uow.run((tx) => repository.revoke(tx, id, 'PSU', at(1000))).then(() => (revokedAt = Date.now()));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const releasedAt = Date.now();
      release();
      await Promise.all([holder, revocation]);
      assert.ok(revokedAt >= releasedAt, 'the revocation committed after the lock was released');
      assert.equal(await uow.run((tx) => repository.lock(tx, `aac-${randomUUID()}`)), undefined);
    });

    it('expires authorised consents due by now, at most the limit, as of their expiry, and leaves the rest', async () => {
      // A moment of its own, long before the other cases' expiries.
      const base = new Date('2001-01-01T00:00:00Z');
      const ids = [];
      for (const ms of [3000, 1000, 2000]) ids.push(await authoriseExpiring(new Date(base.getTime() + ms)));
      const later = await authoriseExpiring(new Date(base.getTime() + 60_000));
      const now = new Date(base.getTime() + 5000);
      const first = (await uow.run((tx) => repository.expireDue(tx, now, 2))).sort((x, y) => x.expiredAt.getTime() - y.expiredAt.getTime());
      assert.deepEqual(first, [ids[1], ids[2]].map((id, i) => ({ id, clientId: 'tpp-a', expiredAt: new Date(base.getTime() + (i + 1) * 1000) })));
      assert.deepEqual((await uow.run((tx) => repository.expireDue(tx, now, 2))).map((consent) => consent.id), [ids[0]]);
      assert.deepEqual(await uow.run((tx) => repository.expireDue(tx, now, 2)), []);
      const expired = await repository.find(ids[0]!);
      assert.deepEqual([expired?.status, expired?.statusUpdatedAt], ['expired', new Date(base.getTime() + 3000)]);
      assert.equal((await repository.find(later))?.status, 'authorised');

      async function authoriseExpiring(expiresAt: Date) {
        const consent = await insert(record('account-access', { access: SCOPE, expiresAt, createdAt: base }));
        await uow.run((tx) => repository.authorise(tx, consent.id, AUTHORISATION, base));
        return consent.id;
      }
    });

    it("lists a PSU's authorised consents, payment consents and ended data-sharing consents", async () => {
      const psuId = `psu-${randomUUID()}`;
      const current = await authorised({}, psuId);
      const revoked = await authorised({}, psuId);
      await uow.run((tx) => repository.revoke(tx, revoked, 'PSU', at(5000)));
      const lapsed = await authorised({ expiresAt: at(1000) }, psuId);
      const payment = await insert(record('domestic-payment', { payment: PAYMENT }));
      await uow.run((tx) => repository.authorise(tx, payment.id, { ...AUTHORISATION, psuId }, at(100)));
      await uow.run((tx) => repository.consume(tx, payment.id, 'tpp-a', at(200)));
      await authorised({}, `psu-${randomUUID()}`);

      assert.deepEqual(new Set((await repository.listAuthorisedOfPsu(psuId)).map((consent) => consent.id)), new Set([current, lapsed]));
      assert.deepEqual((await repository.listPaymentsOfPsu(psuId, 50)).map((consent) => consent.id), [payment.id]);
      assert.deepEqual((await repository.listEndedOfPsu(psuId, at(2000), 50)).map((consent) => consent.id), [revoked, lapsed]);
      assert.deepEqual((await repository.listEndedOfPsu(psuId, at(2000), 1)).map((consent) => consent.id), [revoked]);
      assert.deepEqual((await repository.listEndedOfPsu(psuId, T0, 50)).map((consent) => consent.id), [revoked]);
    });
  });
}
