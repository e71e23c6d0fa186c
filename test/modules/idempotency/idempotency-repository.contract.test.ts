import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createKyselyIdempotencyRepository } from '../../../src/modules/idempotency/infra/kysely-idempotency-repository.ts';
import type { IdempotencyRepository, IdempotencyScope } from '../../../src/modules/idempotency/idempotency.repository.port.ts';
import { createIdempotencyModule, requestHash } from '../../../src/modules/idempotency/index.ts';
import { createUnitOfWork, transactionOf, type TxContext, type UnitOfWork } from '../../../src/platform/db/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

const T0 = new Date('2026-05-04T10:00:00Z');
const DAY_MS = 24 * 3600 * 1000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const scopeFor = (key = `key-${randomUUID().slice(0, 8)}`): IdempotencyScope => ({ clientId: `client-${randomUUID()}`, operation: 'domestic-payment-consents', key });

for (const dialect of DIALECTS) {
  describe(`idempotency repository contract (${dialect})`, () => {
    let database: TestDatabase;
    let uow: UnitOfWork;
    let repository: IdempotencyRepository;
    before(async () => {
      database = await openTestDatabase(dialect);
      uow = createUnitOfWork(database.db);
      repository = createKyselyIdempotencyRepository(database.db);
    });
    after(() => database.close());

    it('claims a new key once: a second claim of the unexpired key is refused and finds the first', async () => {
      const scope = scopeFor();
      assert.equal(await uow.run((tx) => repository.claim(tx, scope, 'hash-1', T0, at(DAY_MS))), true);
      assert.equal(await uow.run((tx) => repository.claim(tx, scope, 'hash-2', at(1000), at(DAY_MS + 1000))), false);
      assert.deepEqual(await uow.run((tx) => repository.find(tx, scope)), { requestHash: 'hash-1', resourceId: null });
    });

    it('records the resource of a claim', async () => {
      const scope = scopeFor();
      await uow.run(async (tx) => {
        await repository.claim(tx, scope, 'hash-1', T0, at(DAY_MS));
        await repository.recordResource(tx, scope, 'res-1');
      });
      assert.deepEqual(await uow.run((tx) => repository.find(tx, scope)), { requestHash: 'hash-1', resourceId: 'res-1' });
    });

    it('records a resource id known before creation with the claim itself, also when taking over an expired claim', async () => {
      const scope = scopeFor();
      await uow.run((tx) => repository.claim(tx, scope, 'hash-1', T0, at(DAY_MS), 'res-1'));
      assert.deepEqual(await uow.run((tx) => repository.find(tx, scope)), { requestHash: 'hash-1', resourceId: 'res-1' });
      assert.equal(await uow.run((tx) => repository.claim(tx, scope, 'hash-2', at(1000), at(DAY_MS), 'res-2')), false);
      assert.deepEqual(await uow.run((tx) => repository.find(tx, scope)), { requestHash: 'hash-1', resourceId: 'res-1' });
      assert.equal(await uow.run((tx) => repository.claim(tx, scope, 'hash-3', at(DAY_MS), at(2 * DAY_MS), 'res-3')), true);
      assert.deepEqual(await uow.run((tx) => repository.find(tx, scope)), { requestHash: 'hash-3', resourceId: 'res-3' });
    });

    it('finds nothing for a key never claimed, and nothing of a claim rolled back', async () => {
      const scope = scopeFor();
      await assert.rejects(
        uow.run(async (tx) => {
          await repository.claim(tx, scope, 'hash-1', T0, at(DAY_MS));
          throw new Error('creation failed');
        }),
        /creation failed/,
      );
      assert.equal(await uow.run((tx) => repository.find(tx, scope)), undefined);
      assert.equal(await uow.run((tx) => repository.find(tx, scopeFor())), undefined);
    });

    it('lets an expired claim be taken over for another request, without its old resource', async () => {
      const scope = scopeFor();
      await uow.run(async (tx) => {
        await repository.claim(tx, scope, 'hash-1', T0, at(DAY_MS));
        await repository.recordResource(tx, scope, 'res-1');
      });
      assert.equal(await uow.run((tx) => repository.claim(tx, scope, 'hash-2', at(DAY_MS), at(2 * DAY_MS))), true);
      assert.deepEqual(await uow.run((tx) => repository.find(tx, scope)), { requestHash: 'hash-2', resourceId: null });
    });

    it('keeps keys of different clients and operations apart', async () => {
      const scope = scopeFor('shared-key');
      await uow.run((tx) => repository.claim(tx, scope, 'hash-1', T0, at(DAY_MS)));
      assert.equal(await uow.run((tx) => repository.claim(tx, { ...scope, clientId: `client-${randomUUID()}` }, 'hash-1', T0, at(DAY_MS))), true);
      assert.equal(await uow.run((tx) => repository.claim(tx, { ...scope, operation: 'domestic-payments' }, 'hash-1', T0, at(DAY_MS))), true);
    });

    it('deletes at most the limit of expired claims, and never an unexpired one', async () => {
      // A moment of its own, far from the other cases' claims, so only these count as expired.
      const base = new Date('2001-01-01T00:00:00Z');
      const claimedAt = new Date(base.getTime() - 1000);
      const later = new Date(base.getTime() + 1000);
      const expired = [scopeFor(), scopeFor(), scopeFor()];
      const current = scopeFor();
      await uow.run(async (tx) => {
        for (const scope of expired) await repository.claim(tx, scope, 'hash', claimedAt, base);
        await repository.claim(tx, current, 'hash', claimedAt, new Date(base.getTime() + DAY_MS));
      });
      assert.equal(await repository.deleteExpired(later, 2), 2);
      assert.equal(await repository.deleteExpired(later, 2), 1);
      assert.equal(await repository.deleteExpired(later, 2), 0);
      assert.notEqual(await uow.run((tx) => repository.find(tx, current)), undefined);
    });
  });

  describe(`idempotency module API (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(dialect);
      await sql`CREATE TABLE api_resources (id text PRIMARY KEY)`.execute(database.db);
    });
    after(() => database.close());

    const resourceCount = async () => Number((await sql<{ count: string | number | bigint }>`SELECT count(*) AS count FROM api_resources`.execute(database.db)).rows[0]!.count);

    it('commits the resource with its claim in one transaction context, and answers a repeat with it', async () => {
      const idempotency = createIdempotencyModule({ db: database.db });
      const claim = { clientId: `client-${randomUUID()}`, operation: 'domestic-payment-consents', key: 'k-1', requestHash: requestHash({ a: 1 }) };
      const create = async (tx: TxContext) => {
        const id = `res-${randomUUID()}`;
        await sql`INSERT INTO api_resources (id) VALUES (${id})`.execute(transactionOf(tx));
        return id;
      };
      const first = await idempotency.withIdempotency(claim, create, T0);
      const repeat = await idempotency.withIdempotency(claim, create, at(1000));
      assert.deepEqual(repeat, { created: false, resourceId: first.resourceId });
      assert.equal(first.created, true);
      assert.equal(await resourceCount(), 1);
    });

    it('the housekeeping deletes keys past their 24 hours', async () => {
      const idempotency = createIdempotencyModule({ db: database.db });
      // Long after the other case's key, which expired meanwhile: a moment of its own.
      const claimedAt = at(10 * DAY_MS);
      assert.equal(await idempotency.deleteExpiredKeys(claimedAt), 1);
      const claim = { clientId: `client-${randomUUID()}`, operation: 'domestic-payments', key: 'k-2', requestHash: requestHash({ b: 2 }) };
      await idempotency.withIdempotency(claim, async () => 'res-x', claimedAt);
      assert.equal(await idempotency.deleteExpiredKeys(new Date(claimedAt.getTime() + DAY_MS - 1)), 0);
      assert.equal(await idempotency.deleteExpiredKeys(new Date(claimedAt.getTime() + DAY_MS)), 1);
    });
  });
}
