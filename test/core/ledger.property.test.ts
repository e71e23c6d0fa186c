import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { LedgerCoreBanking, LedgerErrors } from '../../src/core/adapters/ledger/index.ts';
import { isAppError } from '../../src/platform/errors/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { checkLedger, fund, openAccount, statement } from '../support/ledger-fixtures.ts';

const CURRENCIES = ['GBP', 'EUR'] as const;

interface Transfer {
  from: number;
  to: number;
  amountMinor: bigint;
  currency: (typeof CURRENCIES)[number];
}

const transferArb = fc.record({
  from: fc.nat({ max: 3 }),
  to: fc.nat({ max: 3 }),
  amountMinor: fc.bigInt({ min: 1n, max: 150_000n }),
  currency: fc.constantFrom(...CURRENCIES),
});

function assertInvariants(check: Awaited<ReturnType<typeof checkLedger>>): void {
  for (const [currency, total] of check.sumsByCurrency) assert.equal(total, 0n, `postings in ${currency} sum to ${total}`);
  assert.deepEqual(check.mismatchedAccounts, [], 'account balances equal the sum of their postings');
}

for (const dialect of DIALECTS) {
  describe(`ledger invariants (${dialect})`, () => {
    let database: TestDatabase;
    let core: LedgerCoreBanking;
    const clearing = new Map<string, string>();

    before(async () => {
      database = await openTestDatabase(dialect);
      core = new LedgerCoreBanking(database.db);
      for (const currency of CURRENCIES) clearing.set(currency, await openAccount(database.db, { currency, internal: true }));
    });
    after(async () => {
      await database.close();
    });

    it('for any sequence of transfers, postings sum to zero per currency and balances equal their postings', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(transferArb, { minLength: 1, maxLength: 25 }), fc.bigInt({ min: 0n, max: 50_000n }), async (transfers: Transfer[], overdraft) => {
          const accounts: Record<string, string[]> = {};
          const model = new Map<string, bigint>();
          for (const currency of CURRENCIES) {
            accounts[currency] = [];
            for (let i = 0; i < 4; i++) {
              const id = await openAccount(database.db, { currency, overdraftMinor: i === 0 ? overdraft : 0n });
              await fund(database.db, clearing.get(currency)!, id, 100_000n, currency);
              accounts[currency].push(id);
              model.set(id, 100_000n);
            }
          }
          for (const t of transfers) {
            const from = accounts[t.currency]![t.from]!;
            const to = accounts[t.currency]![t.to]!;
            const expectedToFail = from === to || model.get(from)! - t.amountMinor < -(t.from === 0 ? overdraft : 0n);
            try {
              await core.transfer({ debtorAccountId: from, creditorAccountId: to, amount: { amountMinor: t.amountMinor, currency: t.currency }, debtorStatement: statement('out'), creditorStatement: statement('in') });
              assert.equal(expectedToFail, false, 'transfer succeeded although the model says it must fail');
              model.set(from, model.get(from)! - t.amountMinor);
              model.set(to, model.get(to)! + t.amountMinor);
            } catch (error) {
              assert.ok(isAppError(error), `unexpected error ${String(error)}`);
              assert.ok([LedgerErrors.INSUFFICIENT_FUNDS.code, LedgerErrors.SAME_ACCOUNT.code].includes(error.code), error.code);
              assert.equal(expectedToFail, true, `transfer failed with ${error.code} although the model allows it`);
            }
          }
          assertInvariants(await checkLedger(database.db));
          for (const [id, expected] of model) assert.equal((await core.getBalances(id))!.bookedMinor, expected);
        }),
        { numRuns: dialect === 'pglite' ? 15 : 25 },
      );
    });

    it('executes a transfer with the same external reference only once', async () => {
      const a = await openAccount(database.db);
      const b = await openAccount(database.db);
      await fund(database.db, clearing.get('GBP')!, a, 10_000n);
      const request = { debtorAccountId: a, creditorAccountId: b, amount: { amountMinor: 2_500n, currency: 'GBP' }, externalRef: `payment-${a}`, debtorStatement: statement('out'), creditorStatement: statement('in') };
      const first = await core.transfer(request);
      const second = await core.transfer(request);
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.equal(second.entryId, first.entryId);
      assert.equal((await core.getBalances(a))!.bookedMinor, 7_500n);
      assert.equal((await core.getBalances(b))!.bookedMinor, 2_500n);
    });

    it('refuses, in the database itself, an entry whose postings do not balance', async () => {
      const a = await openAccount(database.db, { internal: true });
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await trx.insertInto('bank_journal_entries').values({ id: `bad-${a}`, kind: 'raw', description: 'raw', external_ref: null, booked_at: new Date(), value_at: new Date() }).execute();
          await trx.insertInto('bank_postings').values({ entry_id: `bad-${a}`, account_id: a, currency: 'GBP', amount_minor: 100n }).execute();
        }),
        /does not balance in GBP/,
      );
    });

    it('refuses, in the database itself, a customer balance below its overdraft', async () => {
      const a = await openAccount(database.db, { overdraftMinor: 1_000n });
      await assert.rejects(sql`UPDATE bank_accounts SET balance_minor = -1001 WHERE id = ${a}`.execute(database.db), /check constraint/);
    });
  });
}

describe('ledger under concurrent transfers (PostgreSQL, 10 connections)', () => {
  it('never loses an update', async () => {
    const database = await openTestDatabase('postgres', { poolSize: 10 });
    try {
      const core = new LedgerCoreBanking(database.db);
      const clearing = await openAccount(database.db, { internal: true });
      const accounts: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = await openAccount(database.db);
        await fund(database.db, clearing, id, 50_000n);
        accounts.push(id);
      }
      const plan = fc.sample(fc.record({ from: fc.nat({ max: 4 }), to: fc.nat({ max: 4 }), amountMinor: fc.bigInt({ min: 1n, max: 5_000n }) }), { numRuns: 400, seed: 42 }).filter((t) => t.from !== t.to);
      const model = new Map(accounts.map((id) => [id, 50_000n]));
      let succeeded = 0;
      let refused = 0;
      // 10 workers pull from one queue, so up to 10 transfers touch the same rows at once.
      const queue = [...plan];
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let t = queue.shift(); t; t = queue.shift()) {
            const from = accounts[t.from]!;
            const to = accounts[t.to]!;
            try {
              await core.transfer({ debtorAccountId: from, creditorAccountId: to, amount: { amountMinor: t.amountMinor, currency: 'GBP' }, debtorStatement: statement('out'), creditorStatement: statement('in') });
              model.set(from, model.get(from)! - t.amountMinor);
              model.set(to, model.get(to)! + t.amountMinor);
              succeeded += 1;
            } catch (error) {
              assert.ok(isAppError(error) && error.code === LedgerErrors.INSUFFICIENT_FUNDS.code, String(error));
              refused += 1;
            }
          }
        }),
      );
      assert.equal(succeeded + refused, plan.length);
      assertInvariants(await checkLedger(database.db));
      for (const [id, expected] of model) {
        const balance = (await core.getBalances(id))!.bookedMinor;
        assert.equal(balance, expected, `balance of ${id}`);
        assert.ok(balance >= 0n);
      }
      const entries = await database.db.selectFrom('bank_journal_entries').select((eb) => eb.fn.countAll<string>().as('n')).where('kind', '=', 'transfer').executeTakeFirstOrThrow();
      assert.equal(Number(entries.n), succeeded);
    } finally {
      await database.close();
    }
  });
});
