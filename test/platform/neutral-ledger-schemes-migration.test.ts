import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { up } from '../../src/core/adapters/ledger/migrations/0027-neutral-ledger-schemes.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { openAccount } from '../support/ledger-fixtures.ts';

for (const dialect of DIALECTS) {
  describe(`migration 0027: the ledger's account schemes become neutral (${dialect})`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await openTestDatabase(dialect);
    });
    after(async () => {
      await db?.close();
    });

    it('rewrites UK.OBIE scheme codes stored before it, and leaves every other value as it is', async () => {
      const accountId = await openAccount(db.db);
      const beneficiary = (id: string, scheme: string) => ({
        id,
        account_id: accountId,
        beneficiary_type: 'Ordinary' as const,
        reference: null,
        creditor_name: 'Payee',
        creditor_scheme: scheme,
        creditor_identification: '12345612345678',
        created_at: new Date(),
      });
      await db.db
        .insertInto('bank_beneficiaries')
        .values([beneficiary('b-scan', 'UK.OBIE.SortCodeAccountNumber'), beneficiary('b-iban', 'UK.OBIE.IBAN'), beneficiary('b-other', 'UK.OBIE.PAN'), beneficiary('b-new', 'iban')])
        .execute();

      await up(db.db as never);

      const rows = await db.db.selectFrom('bank_beneficiaries').select(['id', 'creditor_scheme']).where('account_id', '=', accountId).orderBy('id').execute();
      assert.deepEqual(rows, [
        { id: 'b-iban', creditor_scheme: 'iban' },
        { id: 'b-new', creditor_scheme: 'iban' },
        { id: 'b-other', creditor_scheme: 'UK.OBIE.PAN' },
        { id: 'b-scan', creditor_scheme: 'sort-code-account' },
      ]);
    });
  });
}
