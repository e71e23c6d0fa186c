import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AccountProjection } from '../../../src/modules/accounts/account-projection.ts';
import type { AccountReadModelRepository } from '../../../src/modules/accounts/accounts.repository.port.ts';
import { createKyselyAccountReadModelRepository } from '../../../src/modules/accounts/infra/kysely-account-read-model-repository.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { testPersonalDataCipher } from '../../support/personal-data-cipher.ts';

const accountId = () => `acc-${randomUUID()}`;
const projection = (bookedMinor: bigint): AccountProjection => ({
  account: undefined,
  holders: [],
  balances: { accountId: 'a', currency: 'GBP', bookedMinor, pendingMinor: 0n, availableMinor: bookedMinor, overdraftLimitMinor: 0n, asOf: new Date('2026-01-02T03:04:05.000Z') },
});
const booked = async (repository: AccountReadModelRepository, id: string) => (await repository.find(id))?.balances?.bookedMinor;

for (const dialect of DIALECTS) {
  describe(`account read model repository contract (${dialect})`, () => {
    let database: TestDatabase;
    let repository: AccountReadModelRepository;
    before(async () => {
      database = await openTestDatabase(dialect);
      repository = createKyselyAccountReadModelRepository(database.db, await testPersonalDataCipher(database.db));
    });
    after(() => database.close());

    it('finds nothing for an account never projected, and a stored projection exactly (bigint money, dates)', async () => {
      const id = accountId();
      assert.equal(await repository.find(id), undefined);
      await repository.refresh([id], async () => new Map([[id, projection(150n)]]));
      const stored = await repository.find(id);
      assert.equal(stored?.account, undefined, 'an account the core does not have stays absent');
      assert.deepEqual(stored?.holders, []);
      assert.deepEqual(stored?.balances, projection(150n).balances);
    });

    it('a read through stores only where no projection is: it never overwrites a refresh', async () => {
      const id = accountId();
      await repository.storeIfAbsent(id, projection(100n));
      assert.equal(await booked(repository, id), 100n);
      await repository.refresh([id], async () => new Map([[id, projection(200n)]]));
      await repository.storeIfAbsent(id, projection(100n));
      assert.equal(await booked(repository, id), 200n, 'a later refresh replaces a read through, never the reverse');
    });

    it('of two racing refreshes the one that began later wins, whichever stores first (no stale overwrite)', async () => {
      const id = accountId();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let reading!: () => void;
      const started = new Promise<void>((resolve) => (reading = resolve));
      // The first refresh took its ticket and read the core before a change; it stores after the later one.
      const slow = repository.refresh([id], async () => {
        reading();
        await gate;
        return new Map([[id, projection(100n)]]);
      });
      await started;
      await repository.refresh([id], async () => new Map([[id, projection(250n)]]));
      release();
      await slow;
      assert.equal(await booked(repository, id), 250n);
    });

    it('refreshes several accounts with one read of the core, each only over an older ticket', async () => {
      const [a, b] = [accountId(), accountId()];
      await repository.refresh([a], async () => new Map([[a, projection(10n)]]));
      const asked: string[][] = [];
      await repository.refresh([b, a, b], async (ids) => {
        asked.push([...ids]);
        return new Map([
          [a, projection(20n)],
          [b, projection(30n)],
        ]);
      });
      assert.deepEqual(asked, [[a, b].sort()], 'one read, each account once');
      assert.equal(await booked(repository, a), 20n);
      assert.equal(await booked(repository, b), 30n);
    });
  });
}
