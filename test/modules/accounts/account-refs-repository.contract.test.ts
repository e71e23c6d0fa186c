import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AccountRefsRepository } from '../../../src/modules/accounts/accounts.repository.port.ts';
import { createKyselyAccountRefsRepository } from '../../../src/modules/accounts/infra/kysely-account-refs-repository.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

const accountId = () => `acc-${randomUUID()}`;
const publicId = () => randomUUID().replaceAll('-', '');

for (const dialect of DIALECTS) {
  describe(`account refs repository contract (${dialect})`, () => {
    let database: TestDatabase;
    let repository: AccountRefsRepository;
    before(async () => {
      database = await openTestDatabase(dialect);
      repository = createKyselyAccountRefsRepository(database.db);
    });
    after(() => database.close());

    it('stores the proposed public ids of new accounts and finds each account by its public id', async () => {
      const [a, b] = [accountId(), accountId()];
      const proposed = new Map([[a, publicId()], [b, publicId()]]);
      assert.deepEqual(await repository.claimPublicIds(proposed), proposed);
      assert.equal(await repository.findAccountId(proposed.get(a)!), a);
      assert.equal(await repository.findAccountId(proposed.get(b)!), b);
    });

    it('keeps the public id an account already has: a later proposal gets the first one back (stable across consents)', async () => {
      const account = accountId();
      const first = publicId();
      await repository.claimPublicIds(new Map([[account, first]]));
      const fresh = accountId();
      const second = await repository.claimPublicIds(new Map([[account, publicId()], [fresh, 'fresh-public-id']]));
      assert.deepEqual(second, new Map([[account, first], [fresh, 'fresh-public-id']]));
    });

    it('concurrent first exposures of one account agree on one public id', async () => {
      const account = accountId();
      const results = await Promise.all(Array.from({ length: 5 }, () => repository.claimPublicIds(new Map([[account, publicId()]]))));
      const ids = new Set(results.map((result) => result.get(account)));
      assert.equal(ids.size, 1);
      assert.equal(await repository.findAccountId([...ids][0]!), account);
    });

    it('finds no account for a public id never stored, and claims nothing for no proposal', async () => {
      assert.equal(await repository.findAccountId(publicId()), undefined);
      assert.deepEqual(await repository.claimPublicIds(new Map()), new Map());
    });
  });
}
