import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatAmount, type Account } from '../../src/core/index.ts';
import { LedgerCoreBanking, LedgerErrors, internalAccountId } from '../../src/core/adapters/ledger/index.ts';
import { isAppError } from '../../src/platform/errors/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { statement } from '../support/ledger-fixtures.ts';

const AS_OF = new Date('2026-03-31T12:00:00Z');

for (const dialect of DIALECTS) {
  describe(`core-banking port, built-in ledger (${dialect})`, () => {
    let database: TestDatabase;
    let core: LedgerCoreBanking;
    let partyId: string;
    let current: Account;

    before(async () => {
      database = await openTestDatabase(dialect);
      await createSandboxModule({ db: database.db }).seed({ customers: 6, months: 4, seed: 5, asOf: AS_OF });
      core = new LedgerCoreBanking(database.db);
      const psu = await database.db.selectFrom('psu_users').select('party_id').orderBy('username').executeTakeFirstOrThrow();
      partyId = psu.party_id;
      const accounts = await core.listAccountsOfParty(partyId);
      current = accounts.find((a) => a.subType === 'CurrentAccount' && a.currency === 'GBP')!;
      assert.ok(current, 'every sandbox customer has a GBP current account');
    });
    after(async () => {
      await database.close();
    });

    it('finds a customer, their accounts and the holders of each', async () => {
      const party = await core.getParty(partyId);
      assert.equal(party?.kind, 'Person');
      const accounts = await core.listAccountsOfParty(partyId);
      assert.ok(accounts.length >= 1);
      for (const account of accounts) {
        const holders = await core.listAccountHolders(account.id);
        assert.ok(holders.some((h) => h.party.id === partyId), `${account.id} is held by the customer`);
        assert.notEqual(account.holderKind, 'Internal');
      }
      assert.equal(await core.getParty('no-such-party'), undefined);
      assert.deepEqual(await core.listAccountsOfParty('no-such-party'), []);
    });

    it('gives an account with its holders and balances in one overview, as the separate reads give them', async () => {
      const accounts = await core.listAccountsOfParty(partyId);
      for (const account of accounts) {
        const overview = await core.getAccountOverview(account.id);
        assert.deepEqual(overview?.account, account);
        const holders = await core.listAccountHolders(account.id);
        assert.ok(holders.length >= 1);
        assert.deepEqual(overview?.holders, holders);
        const balances = await core.getBalances(account.id);
        assert.deepEqual({ ...overview?.balances, asOf: null }, { ...balances, asOf: null });
      }
    });

    it('looks accounts up by sort code and account number, and by IBAN', async () => {
      const bySortCode = await core.findAccountByIdentifier('SortCodeAccountNumber', `${current.sortCode}${current.accountNumber}`);
      assert.equal(bySortCode?.id, current.id);
      const byIban = await core.findAccountByIdentifier('IBAN', current.iban!.toLowerCase().replace(/(.{4})/g, '$1 '));
      assert.equal(byIban?.id, current.id);
      assert.equal(await core.findAccountByIdentifier('SortCodeAccountNumber', '12345'), undefined);
      assert.equal(await core.findAccountByIdentifier('IBAN', 'GB00NOPE00000000000000'), undefined);
    });

    it('reports balances: booked equals the postings, available nets pending card holds', async () => {
      const balances = (await core.getBalances(current.id))!;
      const postings = await database.db
        .selectFrom('bank_postings')
        .select((eb) => eb.fn.sum<bigint>('amount_minor').as('total'))
        .where('account_id', '=', current.id)
        .executeTakeFirstOrThrow();
      assert.equal(balances.bookedMinor, BigInt(postings.total));
      const pending = (await core.listTransactions([current.id], { status: 'Pending', limit: 100 }))!;
      const held = pending.items.reduce((sum, t) => sum + (t.creditDebit === 'Debit' ? -t.amount.amountMinor : t.amount.amountMinor), 0n);
      assert.equal(balances.pendingMinor, held);
      assert.equal(balances.availableMinor, balances.bookedMinor + held);
      assert.equal(await core.getBalances('no-such-account'), undefined);
    });

    it('pages through booked transactions newest first, each exactly once, with opaque cursors', async () => {
      const all = (await core.listTransactions([current.id], { status: 'Booked', limit: 10_000 }))!;
      assert.ok(all.total > 40, `a 4-month history has many lines (${all.total})`);
      assert.equal(all.items.length, all.total);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = (await core.listTransactions([current.id], { status: 'Booked', limit: 7, cursor }))!;
        assert.equal(page.total, all.total);
        assert.equal(page.index, pages++);
        seen.push(...page.items.map((t) => t.id));
        cursor = page.cursors.next;
      } while (cursor);
      assert.equal(pages, Math.ceil(all.total / 7));
      assert.deepEqual(seen, all.items.map((t) => t.id));
      const times = all.items.map((t) => t.bookingAt.getTime());
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
      assert.equal(all.firstBookingAt?.getTime(), Math.min(...times));
      assert.equal(all.lastBookingAt?.getTime(), Math.max(...times));
      const newest = all.items[0]!;
      assert.equal(newest.balanceAfterMinor, (await core.getBalances(current.id))!.bookedMinor, 'the newest running balance is the booked balance');
      const oldestFirst = (await core.listTransactions([current.id], { status: 'Booked', order: 'oldest-first', limit: 10_000 }))!;
      assert.deepEqual(oldestFirst.items.map((t) => t.id), [...seen].reverse());
    });

    it('filters by booking time and direction', async () => {
      const from = new Date('2026-02-01T00:00:00Z');
      const to = new Date('2026-02-28T23:59:59Z');
      const february = (await core.listTransactions([current.id], { from, to, limit: 10_000 }))!;
      assert.ok(february.items.length > 0);
      for (const t of february.items) assert.ok(t.bookingAt >= from && t.bookingAt <= to);
      const credits = (await core.listTransactions([current.id], { from, to, creditDebit: 'Credit', limit: 10_000 }))!;
      assert.ok(credits.total > 0 && credits.total < february.total);
      assert.ok(credits.items.every((t) => t.creditDebit === 'Credit'));
    });

    it('knows no forged cursor, nor one past the last page (undefined, for the caller to refuse)', async () => {
      const forged = ['not-a-cursor', '1; DROP TABLE x', '-1', '99999999999999999999', Buffer.from('99999999999999999999.0').toString('base64url'), Buffer.from('5.9999999').toString('base64url')];
      for (const cursor of forged) assert.equal(await core.listTransactions([current.id], { limit: 5, cursor }), undefined, cursor);
    });

    it('lists arrangements, statements and the product of an account', async () => {
      assert.ok((await core.listBeneficiaries(current.id)).length >= 2);
      assert.ok((await core.listDirectDebits(current.id)).length >= 1);
      const statements = await core.listStatements(current.id, {});
      assert.ok(statements.length >= 3);
      for (const s of statements) {
        assert.equal(s.closingBalanceMinor, s.openingBalanceMinor + s.totalCreditsMinor - s.totalDebitsMinor);
      }
      assert.equal((await core.getProduct(current.id))?.type, 'PersonalCurrentAccount');
      for (const payment of await core.listScheduledPayments(current.id)) assert.ok(payment.scheduledAt > AS_OF);
    });

    it('checks funds against the available balance and overdraft, in the account currency', async () => {
      const balances = (await core.getBalances(current.id))!;
      const headroom = balances.availableMinor + balances.overdraftLimitMinor;
      assert.equal(await core.checkFunds(current.id, { amountMinor: headroom, currency: 'GBP' }), true);
      assert.equal(await core.checkFunds(current.id, { amountMinor: headroom + 1n, currency: 'GBP' }), false);
      assert.equal(await core.checkFunds(current.id, { amountMinor: 1n, currency: 'EUR' }), false);
      assert.equal(await core.checkFunds('no-such-account', { amountMinor: 1n, currency: 'GBP' }), false);
    });

    it('moves money and shows it on both statements', async () => {
      const clearing = internalAccountId('clearing', 'GBP');
      const before = (await core.getBalances(current.id))!.bookedMinor;
      const result = await core.transfer({
        debtorAccountId: clearing,
        creditorAccountId: current.id,
        amount: { amountMinor: 12_345n, currency: 'GBP' },
        externalRef: `refund-${dialect}`,
        debtorStatement: statement('Refund'),
        creditorStatement: { ...statement('Refund from Portico Retail'), reference: 'RF-1' },
      });
      assert.equal(result.created, true);
      assert.equal((await core.getBalances(current.id))!.bookedMinor, before + 12_345n);
      const page = (await core.listTransactions([current.id], { from: new Date(Date.now() - 60_000), limit: 10 }))!;
      const line = page.items.find((t) => t.reference === 'RF-1')!;
      assert.equal(line.creditDebit, 'Credit');
      assert.equal(formatAmount(line.amount.amountMinor, line.amount.currency), '123.45');
      assert.equal(line.balanceAfterMinor, before + 12_345n);
    });

    it('refuses transfers that are not positive, to the same account, or across currencies', async () => {
      const base = { debtorStatement: statement('x'), creditorStatement: statement('x') };
      const clearing = internalAccountId('clearing', 'GBP');
      const cases: Array<[string, Parameters<LedgerCoreBanking['transfer']>[0]]> = [
        [LedgerErrors.ZERO_AMOUNT.code, { ...base, debtorAccountId: clearing, creditorAccountId: current.id, amount: { amountMinor: 0n, currency: 'GBP' } }],
        [LedgerErrors.ZERO_AMOUNT.code, { ...base, debtorAccountId: clearing, creditorAccountId: current.id, amount: { amountMinor: -5n, currency: 'GBP' } }],
        [LedgerErrors.SAME_ACCOUNT.code, { ...base, debtorAccountId: current.id, creditorAccountId: current.id, amount: { amountMinor: 5n, currency: 'GBP' } }],
        [LedgerErrors.CURRENCY_MISMATCH.code, { ...base, debtorAccountId: clearing, creditorAccountId: current.id, amount: { amountMinor: 5n, currency: 'EUR' } }],
        [LedgerErrors.ACCOUNT_NOT_FOUND.code, { ...base, debtorAccountId: clearing, creditorAccountId: 'nope', amount: { amountMinor: 5n, currency: 'GBP' } }],
      ];
      for (const [code, request] of cases) {
        await assert.rejects(core.transfer(request), (error: unknown) => isAppError(error) && error.code === code, code);
      }
    });
  });
}
