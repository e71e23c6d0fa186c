import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { migrations } from '../../src/platform/db/migrations/index.ts';
import { up } from '../../src/platform/db/migrations/0030-neutral-payment-statuses.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';

/** Applies every migration named before `name`, in order, as the migrator would. */
async function migrateUpTo(db: Kysely<unknown>, name: string): Promise<void> {
  for (const [migration, { up: apply }] of Object.entries(migrations)) {
    if (migration >= name) return;
    await apply(db);
  }
}

const T0 = new Date('2026-01-05T10:00:00Z');

for (const dialect of DIALECTS) {
  describe(`migration 0030: payments record neutral statuses (${dialect})`, () => {
    let database: TestDatabase;
    let db: Kysely<unknown>;
    before(async () => {
      database = await openTestDatabase(dialect, { migrate: false });
      db = database.db as unknown as Kysely<unknown>;
      await migrateUpTo(db, '0030-neutral-payment-statuses');
      await sql`INSERT INTO consents (id, kind, client_id, status, created_at, status_updated_at, request) VALUES ('c-1', 'domestic-vrp', 'tpp-1', 'Authorised', ${T0}, ${T0}, '{}')`.execute(db);
      const payment = (id: string, status: string, creditorAccountId: string | null, reason: string | null) =>
        sql`INSERT INTO payments (id, kind, consent_id, client_id, psu_id, status, status_reason_code, created_at, status_updated_at, debtor_account_id,
              creditor_account_id, amount_minor, currency, creditor_name, creditor_scheme, creditor_identification, request)
            VALUES (${id}, 'domestic-vrp', 'c-1', 'tpp-1', 'psu-1', ${status}, ${reason}, ${T0}, ${T0}, 'acc-debtor',
              ${creditorAccountId}, 100, 'GBP', 'Payee', 'SortCodeAccountNumber', '40400412345678', '{}')`.execute(db);
      await payment('p-pending', 'Pending', null, null);
      await payment('p-in-process', 'AcceptedSettlementInProcess', null, null);
      await payment('p-settled', 'AcceptedSettlementCompleted', null, null);
      await payment('p-credited', 'AcceptedCreditSettlementCompleted', 'acc-creditor', null);
      await payment('p-rejected', 'Rejected', null, 'AM04');
      await up(db);
    });
    after(async () => {
      await database?.close();
    });

    it("rewrites OB's status names to the neutral ones; a settled payment keeps its creditor account, which tells ACCC from ACSC", async () => {
      const rows = (await sql<{ id: string; status: string; creditor_account_id: string | null }>`SELECT id, status, creditor_account_id FROM payments ORDER BY id`.execute(db)).rows;
      assert.deepEqual(rows, [
        { id: 'p-credited', status: 'settled', creditor_account_id: 'acc-creditor' },
        { id: 'p-in-process', status: 'booked', creditor_account_id: null },
        { id: 'p-pending', status: 'pending', creditor_account_id: null },
        { id: 'p-rejected', status: 'rejected', creditor_account_id: null },
        { id: 'p-settled', status: 'settled', creditor_account_id: null },
      ]);
    });

    it('refuses an OB status name afterwards, and a rejection without its reason', async () => {
      await assert.rejects(sql`UPDATE payments SET status = 'AcceptedSettlementCompleted' WHERE id = 'p-settled'`.execute(db), /payments_status_check/);
      await assert.rejects(sql`UPDATE payments SET status = 'rejected' WHERE id = 'p-pending'`.execute(db), /payments_rejected_with_reason/);
    });
  });
}
