import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { aisGet, grantAccountAccess, sandboxPsu } from '../support/ais-access.ts';
import { TEST_REDIS_URL, uniqueName } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';

/**
 * Two deployments on one Redis server, each on its own database with the same sandbox bank (the
 * same account ids): each remembers its own public AccountIds under its REDIS_KEY_PREFIX. On one
 * prefix, the second would hand out the first's AccountIds, which its own database has never
 * heard of — every read with one then fails `403 U008` as soon as the shared cache is not at
 * hand (a replica starting, an outage).
 */
describe('deployments sharing a Redis server under their own REDIS_KEY_PREFIX (PostgreSQL, Redis)', () => {
  const prefixes = [`${uniqueName('bank_a')}:`, `${uniqueName('bank_b')}:`];
  const deployments: TestPortico[] = [];
  let redis: Redis;

  before(async () => {
    for (const prefix of prefixes) deployments.push(await startTestPortico('postgres', { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix }, { seedSandbox: true }));
    redis = new Redis(TEST_REDIS_URL);
  });
  after(async () => {
    redis?.disconnect();
    await Promise.all(deployments.map((deployment) => deployment.close()));
  });

  it("each hands out AccountIds its own database holds, remembered under its own prefix, and serves reads with them", async () => {
    const exposed: string[][] = [];
    for (const [i, app] of deployments.entries()) {
      const tpp = await TppClient.onboard(app, `Shared Redis TPP ${i}`);
      await tpp.register();
      const psu = await sandboxPsu(app, 0);
      const access = await grantAccountAccess(app, tpp, psu, { permissions: ['ReadAccountsBasic', 'ReadBalances'] });
      const accounts = await aisGet(tpp, access.token, 'accounts');
      assert.equal(accounts.status, 200, accounts.text);
      const ids = accounts.json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account.map((account) => account.AccountId).sort();
      const stored = (await app.portico.database.db.selectFrom('ais_account_refs').select('public_id').execute()).map((row) => row.public_id);
      for (const id of ids) assert.ok(stored.includes(id), `deployment ${i} hands out ${id}, which its database holds`);
      exposed.push(ids);
      // The same accounts in both banks' seeds, each deployment's own AccountIds for them.
      assert.equal(psu.accountIds.length, ids.length);
      const keys = await redis.keys(`${prefixes[i]}accounts:ref*`);
      assert.ok(keys.length >= 2 * ids.length, `deployment ${i} remembers its AccountIds (both ways) under its prefix: ${keys.length} keys`);
      const balances = await aisGet(tpp, access.token, `accounts/${ids[0]}/balances`);
      assert.equal(balances.status, 200, balances.text);
    }
    assert.equal(exposed[0]!.filter((id) => exposed[1]!.includes(id)).length, 0, 'no AccountId of one deployment is handed out by the other');
  });
});
