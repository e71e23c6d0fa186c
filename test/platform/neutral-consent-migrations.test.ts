import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { porticoMigrations as migrations } from '../../src/app/portico-migrations.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';

for (const dialect of DIALECTS) {
  describe(`migrations 0028 and 0029: consents keep neutral statuses and access scopes (${dialect})`, () => {
    let db: TestDatabase;
    let raw: Kysely<unknown>;
    const migrator = () => new Migrator({ db: raw, provider: { getMigrations: async () => migrations } });
    before(async () => {
      db = await openTestDatabase(dialect, { migrate: false });
      raw = db.db as unknown as Kysely<unknown>;
      const { error } = await migrator().migrateTo('0027-neutral-ledger-schemes');
      if (error) throw error;
    });
    after(async () => {
      await db?.close();
    });

    it('rewrites the stored statuses and permission codes, leaving the transaction window and payments as they were', async () => {
      const consent = (id: string, kind: string, status: string, permissions: string[]) =>
        sql`INSERT INTO consents (id, kind, client_id, status, created_at, status_updated_at, permissions, request, transaction_from)
            VALUES (${id}, ${kind}, 'tpp', ${status}, now(), now(), ${JSON.stringify(permissions)}::jsonb, '{}'::jsonb, ${id === 'aac-1' ? new Date('2026-01-01T00:00:00Z') : null})`.execute(raw);
      await consent('aac-1', 'account-access', 'Authorised', ['ReadAccountsBasic', 'ReadAccountsDetail', 'ReadTransactionsBasic', 'ReadTransactionsDebits', 'ReadPAN']);
      await consent('aac-2', 'account-access', 'AwaitingAuthorisation', ['ReadBalances']);
      await consent('aac-3', 'account-access', 'Revoked', ['ReadStatementsDetail', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits']);
      await consent('pfc-1', 'file-payment', 'AwaitingUpload', []);
      await consent('pdc-1', 'domestic-payment', 'Consumed', []);
      await consent('pdc-2', 'domestic-payment', 'Rejected', []);
      await consent('vrp-1', 'domestic-vrp', 'Expired', []);

      const { error } = await migrator().migrateToLatest();
      if (error) throw error;

      const rows = await sql<{ id: string; status: string; access: unknown; transaction_from: Date | null }>`
        SELECT id, status, access, transaction_from FROM consents ORDER BY id`.execute(raw);
      const none = { credits: false, debits: false };
      assert.deepEqual(
        rows.rows.map((row) => [row.id, row.status, row.access]),
        [
          ['aac-1', 'authorised', { clusters: { accounts: 'detail', pan: 'basic', transactions: 'basic' }, directions: { credits: false, debits: true }, accounts: 'psu-selects' }],
          ['aac-2', 'awaiting-authorisation', { clusters: { balances: 'basic' }, directions: none, accounts: 'psu-selects' }],
          ['aac-3', 'revoked', { clusters: { statements: 'detail', transactions: 'detail' }, directions: { credits: true, debits: true }, accounts: 'psu-selects' }],
          ['pdc-1', 'consumed', null],
          ['pdc-2', 'rejected', null],
          ['pfc-1', 'awaiting-upload', null],
          ['vrp-1', 'expired', null],
        ],
      );
      assert.equal(rows.rows[0]!.transaction_from?.toISOString(), '2026-01-01T00:00:00.000Z');
      const columns = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'consents' AND column_name = 'permissions'`.execute(raw);
      assert.deepEqual(columns.rows, [], 'the OB permission codes are no longer stored');
    });
  });
}
