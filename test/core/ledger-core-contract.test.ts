import { describe, before, after } from 'node:test';
import { LedgerCoreBanking } from '../../src/core/adapters/ledger/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { fund, openAccount, openCardAccount } from '../support/ledger-fixtures.ts';
import { coreContract } from './core-contract.ts';

for (const dialect of DIALECTS) {
  describe(`core contract: the built-in ledger adapter (${dialect})`, () => {
    let database: TestDatabase;
    let core: LedgerCoreBanking;
    let clearing: string;

    before(async () => {
      database = await openTestDatabase(dialect);
      core = new LedgerCoreBanking(database.db);
      // The adapter's own clearing account, where payments leaving the bank go.
      await database.db
        .insertInto('bank_accounts')
        .values({ id: 'gl-clearing-GBP', holder_kind: 'Internal', sub_type: 'Internal', currency: 'GBP', name: 'Clearing', nickname: null, sort_code: null, account_number: null, iban: null, bic: null, product_id: null, status: 'Enabled', opened_at: new Date(), overdraft_limit_minor: 0n, allow_negative: true })
        .execute();
      clearing = 'gl-clearing-GBP';
    });
    after(async () => {
      await database?.close();
    });

    coreContract(() => ({
      core,
      async openFundedAccount(balanceMinor) {
        const accountId = await openAccount(database.db);
        if (balanceMinor > 0n) await fund(database.db, clearing, accountId, balanceMinor);
        return { accountId, scheme: 'SortCodeAccountNumber', identification: accountId };
      },
      openCardAccount: () => openCardAccount(database.db, clearing),
    }));
  });
}
