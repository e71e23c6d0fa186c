import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { createUnitOfWork } from '../../../src/platform/db/index.ts';
import { ConsentErrors, type AccessScope, type ConsentsApi } from '../../../src/modules/consents/index.ts';
import { createSigningBasketsModule, SigningBasketErrors, type SigningBasketsApi } from '../../../src/modules/signing-baskets/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { RENT_PAYMENT } from '../consents/rent-payment.ts';
import { DIALECTS, useTestDatabaseAndCache } from '../../support/backends.ts';

const failsWith = (code: string, index?: number) => (error: unknown) => isAppError(error) && error.code === code && (index === undefined || error.details[0]?.index === index);
const NAMED: AccessScope = {
  clusters: { accounts: 'detail' },
  directions: { credits: false, debits: false },
  window: { from: null, to: null },
  accounts: { named: { accounts: [{ scheme: 'iban', identification: 'DE89370400440532013000' }] } },
};
const PAYMENT = { ...RENT_PAYMENT, debtorAccountId: 'acc-1' };
const AUTHORISATION = { psuId: 'psu-1', partyId: 'party-1', accountIds: ['acc-1'] };

for (const dialect of DIALECTS) {
  describe(`signing baskets module (${dialect})`, () => {
    const backends = useTestDatabaseAndCache(dialect);
    let consents: ConsentsApi;
    let baskets: SigningBasketsApi;
    const setUp = () => {
      const { db } = backends.database();
      consents ??= consentsOf(db);
      baskets ??= createSigningBasketsModule({ db, consents });
    };
    const payment = async (clientId = 'tpp-a') => (await consents.create({ kind: 'domestic-payment', clientId, payment: PAYMENT })).id;
    const access = async (clientId = 'tpp-a', scope: AccessScope = NAMED) => (await consents.create({ kind: 'account-access', clientId, access: scope })).id;

    it('keeps the members in order, awaiting authorisation; the TPP alone reads it', async () => {
      setUp();
      const members = [await payment(), await payment(), await access()];
      const basket = await baskets.create({ clientId: 'tpp-a', consentIds: members });
      assert.equal(basket.status, 'awaiting-authorisation');
      assert.match(basket.id, /^sbs-[A-Za-z0-9_-]{22}$/);
      assert.deepEqual((await baskets.findForClient(basket.id, 'tpp-a')).consentIds, members);
      await assert.rejects(baskets.findForClient(basket.id, 'tpp-b'), failsWith(SigningBasketErrors.NOT_FOUND.code));
      for (const id of members) assert.equal(await baskets.pendingBasketOf(id), basket.id);
    });

    it('refuses another TPP’s member, one no longer awaiting, one the PSU would choose an account for, and none at all — naming the member', async () => {
      setUp();
      const mine = await payment();
      await assert.rejects(baskets.create({ clientId: 'tpp-a', consentIds: [mine, await payment('tpp-b')] }), failsWith(SigningBasketErrors.MEMBER_UNKNOWN.code, 1));
      const authorised = await payment();
      await consents.authorise(authorised, AUTHORISATION);
      await assert.rejects(baskets.create({ clientId: 'tpp-a', consentIds: [authorised] }), failsWith(SigningBasketErrors.MEMBER_NOT_AWAITING.code, 0));
      const choosing = (await consents.create({ kind: 'domestic-payment', clientId: 'tpp-a', payment: RENT_PAYMENT })).id;
      await assert.rejects(baskets.create({ clientId: 'tpp-a', consentIds: [mine, choosing] }), failsWith(SigningBasketErrors.MEMBER_NOT_SUPPORTED.code, 1));
      await assert.rejects(baskets.create({ clientId: 'tpp-a', consentIds: [await access('tpp-a', { ...NAMED, accounts: 'psu-selects' })] }), failsWith(SigningBasketErrors.MEMBER_NOT_SUPPORTED.code, 0));
      await assert.rejects(baskets.create({ clientId: 'tpp-a', consentIds: [] }), failsWith(SigningBasketErrors.EMPTY.code));
      await assert.rejects(baskets.create({ clientId: 'tpp-a', consentIds: [mine, mine] }), failsWith(SigningBasketErrors.MEMBER_REPEATED.code));
      assert.equal(await baskets.pendingBasketOf(mine), undefined, 'no refused basket kept a member');
    });

    it('two baskets created at once with a shared member: exactly one is made', async () => {
      setUp();
      const shared = await payment();
      const outcomes = await Promise.allSettled([baskets.create({ clientId: 'tpp-a', consentIds: [await payment(), shared] }), baskets.create({ clientId: 'tpp-a', consentIds: [shared, await payment()] })]);
      assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ['fulfilled', 'rejected']);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
      assert.ok(failsWith(SigningBasketErrors.MEMBER_NOT_AWAITING.code)(refused.reason));
      const made = outcomes.find((outcome) => outcome.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>;
      assert.equal(await baskets.pendingBasketOf(shared), made.value.id);
    });

    it('cancelling frees the members for another basket, once; a cancelled basket cannot be authorised', async () => {
      setUp();
      const member = await payment();
      const basket = await baskets.create({ clientId: 'tpp-a', consentIds: [member] });
      await assert.rejects(baskets.cancelForClient(basket.id, 'tpp-b'), failsWith(SigningBasketErrors.NOT_FOUND.code));
      assert.equal((await baskets.cancelForClient(basket.id, 'tpp-a')).status, 'cancelled');
      await assert.rejects(baskets.cancelForClient(basket.id, 'tpp-a'), failsWith(SigningBasketErrors.NOT_CANCELLABLE.code));
      assert.equal(await baskets.pendingBasketOf(member), undefined);
      await assert.rejects(createUnitOfWork(backends.database().db).run((tx) => baskets.authoriseIn(tx, basket.id)), failsWith(SigningBasketErrors.NOT_AWAITING.code));
      assert.equal((await baskets.create({ clientId: 'tpp-a', consentIds: [member] })).status, 'awaiting-authorisation');
    });

    it('the basket and its members are authorised in one transaction: a member authorised meanwhile rolls every change back', async () => {
      setUp();
      const first = await payment();
      const raced = await payment();
      const basket = await baskets.create({ clientId: 'tpp-a', consentIds: [first, raced] });
      await consents.authorise(raced, AUTHORISATION);
      const uow = createUnitOfWork(backends.database().db);
      await assert.rejects(
        uow.run(async (tx) => {
          for (const id of basket.consentIds) await consents.authoriseIn(tx, id, AUTHORISATION);
          await baskets.authoriseIn(tx, basket.id);
        }),
        failsWith(ConsentErrors.NOT_AWAITING_AUTHORISATION.code),
      );
      assert.equal((await consents.find(first))?.status, 'awaiting-authorisation', 'the first member is not authorised');
      assert.equal((await baskets.find(basket.id))?.status, 'awaiting-authorisation');
      assert.equal((await baskets.reject(basket.id))?.status, 'rejected');
      assert.equal(await baskets.reject(basket.id), undefined, 'rejected once');
      assert.equal(await baskets.pendingBasketOf(first), undefined);
    });

    it('every status change leaves its event in the outbox, for the TPP, in the transaction that makes it', async () => {
      setUp();
      const eventsOf = async (basketId: string) =>
        (
          await backends
            .database()
            .db.selectFrom('outbox_events')
            .select(['event_type', 'aggregate_version', 'tpp_client_id', 'payload'])
            .where('aggregate_type', '=', 'signing-basket')
            .where('aggregate_id', '=', basketId)
            .orderBy('seq')
            .execute()
        ).map((e) => [e.aggregate_version, e.event_type, e.tpp_client_id, (e.payload as { status: string }).status, (e.payload as { consentIds: string[] }).consentIds]);
      const [a, b] = [await payment(), await payment()];
      const authorised = await baskets.create({ clientId: 'tpp-a', consentIds: [a, b] });
      await createUnitOfWork(backends.database().db).run(async (tx) => {
        for (const id of authorised.consentIds) await consents.authoriseIn(tx, id, AUTHORISATION);
        await baskets.authoriseIn(tx, authorised.id);
      });
      assert.deepEqual(await eventsOf(authorised.id), [
        [1, 'SigningBasketStatusChanged', 'tpp-a', 'awaiting-authorisation', [a, b]],
        [2, 'SigningBasketStatusChanged', 'tpp-a', 'authorised', [a, b]],
      ]);
      const c = await payment();
      const cancelled = await baskets.create({ clientId: 'tpp-a', consentIds: [c] });
      await baskets.cancelForClient(cancelled.id, 'tpp-a');
      await assert.rejects(baskets.cancelForClient(cancelled.id, 'tpp-a'));
      const rejected = await baskets.create({ clientId: 'tpp-a', consentIds: [c] });
      await baskets.reject(rejected.id);
      await baskets.reject(rejected.id);
      assert.deepEqual((await eventsOf(cancelled.id)).map((e) => e[3]), ['awaiting-authorisation', 'cancelled'], 'a refused second cancel records nothing');
      assert.deepEqual((await eventsOf(rejected.id)).map((e) => e[3]), ['awaiting-authorisation', 'rejected'], 'rejected once');
      // A basket refused at creation (a member another basket holds) leaves no event.
      const held = await baskets.create({ clientId: 'tpp-a', consentIds: [await payment()] });
      const basketEvents = async () => (await backends.database().db.selectFrom('outbox_events').select('id').where('aggregate_type', '=', 'signing-basket').execute()).length;
      const before = await basketEvents();
      await assert.rejects(baskets.create({ clientId: 'tpp-a', consentIds: [held.consentIds[0]!] }));
      assert.equal(await basketEvents(), before);
    });
  });
}
