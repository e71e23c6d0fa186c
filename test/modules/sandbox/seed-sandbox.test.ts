import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { PUBLISHED_PASSWORD_HASH_PARAMS, verifyPassword } from '../../../src/modules/psu-identity/index.ts';
import { createSandboxModule, generateSandboxBank, SandboxErrors } from '../../../src/modules/sandbox/index.ts';
import { EURO_AREA_COUNTRIES } from '../../../src/modules/sandbox/euro-area.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

const OPTIONS = { customers: 5, months: 2, seed: 7, asOf: new Date('2025-05-20T10:00:00Z') } as const;
const TABLES = [
  'bank_parties', 'bank_products', 'bank_accounts', 'bank_account_holders', 'bank_journal_entries', 'bank_postings', 'bank_transactions',
  'bank_beneficiaries', 'bank_standing_orders', 'bank_direct_debits', 'bank_scheduled_payments', 'bank_statements', 'psu_users', 'sandbox_psus', 'sandbox_seed_runs',
] as const;

for (const dialect of DIALECTS) {
  describe(`seedSandbox (${dialect})`, () => {
    let database: TestDatabase;
    const dataset = generateSandboxBank(OPTIONS);
    const progress: { done: number; total: number; phase: string }[] = [];

    const counts = async (): Promise<Record<string, number>> => {
      const out: Record<string, number> = {};
      for (const table of TABLES) {
        const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
        out[table] = Number(row.n);
      }
      return out;
    };

    before(async () => {
      database = await openTestDatabase(dialect);
    });
    after(async () => {
      await database?.close();
    });

    it('writes the generated bank', async () => {
      assert.equal(await createSandboxModule({ db: database.db }).isSeeded(), false);
      await createSandboxModule({ db: database.db }).seed({ ...OPTIONS, onProgress: (done, total, phase) => progress.push({ done, total, phase }) });
      assert.equal(await createSandboxModule({ db: database.db }).isSeeded(), true);
      assert.deepEqual(await counts(), {
        bank_parties: dataset.parties.length,
        bank_products: dataset.products.length,
        bank_accounts: dataset.accounts.length,
        bank_account_holders: dataset.accountHolders.length,
        bank_journal_entries: dataset.journalEntries.length,
        bank_postings: dataset.postings.length,
        bank_transactions: dataset.transactions.length,
        bank_beneficiaries: dataset.beneficiaries.length,
        bank_standing_orders: dataset.standingOrders.length,
        bank_direct_debits: dataset.directDebits.length,
        bank_scheduled_payments: dataset.scheduledPayments.length,
        bank_statements: dataset.statements.length,
        // The 5 UK customers and one EU customer per euro-area country.
        psu_users: 5 + EURO_AREA_COUNTRIES.length,
        sandbox_psus: 5 + EURO_AREA_COUNTRIES.length,
        sandbox_seed_runs: 1,
      });
      const last = progress.at(-1);
      assert.ok(last && last.done === last.total, 'progress ends at the total');
      assert.ok(progress.every((p, i) => i === 0 || p.done >= progress[i - 1]!.done), 'progress only moves forward');
    });

    it('stores balances equal to the sums of the postings', async () => {
      const drift = await sql<{ id: string }>`
        SELECT a.id FROM bank_accounts a
          LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM bank_postings GROUP BY account_id) p ON p.account_id = a.id
        WHERE a.balance_minor <> coalesce(p.total, 0)`.execute(database.db);
      assert.deepEqual(drift.rows, []);
      const unbalanced = await sql<{ currency: string }>`SELECT currency FROM bank_postings GROUP BY currency HAVING sum(amount_minor) <> 0`.execute(database.db);
      assert.deepEqual(unbalanced.rows, []);
      const account = dataset.accounts.find((a) => a.holder_kind !== 'Internal')!;
      const stored = await database.db.selectFrom('bank_accounts').select(['balance_minor', 'pending_minor']).where('id', '=', account.id).executeTakeFirstOrThrow();
      assert.equal(stored.balance_minor, account.balance_minor);
      assert.equal(stored.pending_minor, account.pending_minor);
    });

    it('publishes the PSU logins in order, with verifiable password hashes', async () => {
      const psus = await createSandboxModule({ db: database.db }).listPsus();
      const heldBy = (partyId: string) =>
        dataset.accountHolders
          .filter((h) => h.party_id === partyId)
          .map((h) => dataset.accounts.find((a) => a.id === h.account_id)!)
          .sort((a, b) => (a.opened_at as Date).getTime() - (b.opened_at as Date).getTime() || a.id.localeCompare(b.id));
      const accountsOf = (partyId: string) =>
        heldBy(partyId)
          .filter((a) => !a.card_masked_pan)
          .map((a) => ({ accountId: a.id, currency: a.currency, name: a.name, nickname: a.nickname, iban: a.iban, sortCode: a.sort_code, accountNumber: a.account_number }));
      const cardAccountsOf = (partyId: string) =>
        heldBy(partyId)
          .filter((a) => a.card_masked_pan)
          .map((a) => ({ accountId: a.id, currency: a.currency, name: a.name, maskedPan: a.card_masked_pan }));
      assert.deepEqual(
        psus,
        dataset.psus.map((p) => ({ username: p.username, password: p.password, totpSecret: p.totpSecret, name: p.name, market: p.market, accounts: accountsOf(p.partyId), cardAccounts: cardAccountsOf(p.partyId) })),
      );
      assert.ok(psus.filter((p) => p.market === 'EU').every((p) => p.cardAccounts.length === 1), 'every EU PSU holds a card account');
      const first = dataset.psus[0]!;
      const user = await database.db.selectFrom('psu_users').selectAll().where('username', '=', first.username).executeTakeFirstOrThrow();
      assert.equal(user.id, first.userId);
      assert.equal(user.totp_secret, first.totpSecret);
      assert.equal(await verifyPassword(first.password, user.password_hash), true);
      assert.equal(await verifyPassword(`${first.password}x`, user.password_hash), false);
      // The passwords are published above, so their hashes carry the published-password work factor.
      assert.match(user.password_hash, new RegExp(`^scrypt\\$${PUBLISHED_PASSWORD_HASH_PARAMS.N}\\$${PUBLISHED_PASSWORD_HASH_PARAMS.r}\\$${PUBLISHED_PASSWORD_HASH_PARAMS.p}\\$`));
    });

    it('refuses to seed twice without reset', async () => {
      await assert.rejects(createSandboxModule({ db: database.db }).seed(OPTIONS), (error) => isAppError(error) && error.definition === SandboxErrors.ALREADY_SEEDED && error.status === 409);
    });

    it('keeps the old bank when a reseed fails part-way', async () => {
      const before = await counts();
      const failing = createSandboxModule({ db: database.db }).seed({
        ...OPTIONS,
        seed: 8,
        reset: true,
        onProgress: (_done, _total, phase) => {
          if (phase === 'transactions') throw new Error('interrupted');
        },
      });
      await assert.rejects(failing, /interrupted/);
      assert.deepEqual(await counts(), before);
      assert.deepEqual((await createSandboxModule({ db: database.db }).listPsus()).map((p) => p.username), dataset.psus.map((p) => p.username));
    });

    it('replaces the bank with reset', async () => {
      const before = await counts();
      await createSandboxModule({ db: database.db }).seed({ ...OPTIONS, reset: true });
      assert.deepEqual(await counts(), before);
      assert.deepEqual((await createSandboxModule({ db: database.db }).listPsus()).map((p) => p.username), dataset.psus.map((p) => p.username));
    });
  });
}
