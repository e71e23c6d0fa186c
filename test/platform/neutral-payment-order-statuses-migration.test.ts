import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { porticoMigrations as migrations } from '../../src/app/portico-migrations.ts';
import { up } from '../../src/modules/payments/infra/migrations/0030-neutral-payment-statuses.ts';
import { up as upStandingOrders } from '../../src/modules/payments/infra/migrations/0031-neutral-standing-order-statuses.ts';
import { DIALECTS, openTestDatabase, type Dialect, type TestDatabase } from '../support/backends.ts';

/** A new database with every migration named before `name` applied, in order, as the migrator would. */
async function openDatabaseBefore(dialect: Dialect, name: string): Promise<{ database: TestDatabase; db: Kysely<unknown> }> {
  const database = await openTestDatabase(dialect, { migrate: false });
  const db = database.db as unknown as Kysely<unknown>;
  for (const [migration, { up: apply }] of Object.entries(migrations)) {
    if (migration >= name) break;
    await apply(db);
  }
  return { database, db };
}

const T0 = new Date('2026-01-05T10:00:00Z');

for (const dialect of DIALECTS) {
  describe(`migration 0030: payments record neutral statuses (${dialect})`, () => {
    let database: TestDatabase;
    let db: Kysely<unknown>;
    before(async () => {
      ({ database, db } = await openDatabaseBefore(dialect, '0030-neutral-payment-statuses'));
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

for (const dialect of DIALECTS) {
  describe(`migration 0031: standing orders record neutral statuses (${dialect})`, () => {
    let database: TestDatabase;
    let db: Kysely<unknown>;
    before(async () => {
      ({ database, db } = await openDatabaseBefore(dialect, '0031-neutral-standing-order-statuses'));
      const order = async (id: string, status: string) => {
        await sql`INSERT INTO consents (id, kind, client_id, status, created_at, status_updated_at, request) VALUES (${`c-${id}`}, 'domestic-standing-order', 'tpp-1', 'Authorised', ${T0}, ${T0}, '{}')`.execute(db);
        await sql`INSERT INTO standing_orders (id, consent_id, client_id, psu_id, status, created_at, status_updated_at, debtor_account_id, currency,
              creditor_name, creditor_scheme, creditor_identification, first_amount_minor, first_payment_at, frequency, request)
            VALUES (${id}, ${`c-${id}`}, 'tpp-1', 'psu-1', ${status}, ${T0}, ${T0}, 'acc-debtor', 'GBP',
              'Payee', 'SortCodeAccountNumber', '40400412345678', 100, ${T0}, 'EvryDay', '{}')`.execute(db);
      };
      await order('so-pending', 'InitiationPending');
      await order('so-completed', 'InitiationCompleted');
      await order('so-failed', 'InitiationFailed');
      await upStandingOrders(db);
    });
    after(async () => {
      await database?.close();
    });

    it("rewrites OB's status names to the neutral ones and refuses them afterwards", async () => {
      const rows = (await sql<{ id: string; status: string }>`SELECT id, status FROM standing_orders ORDER BY id`.execute(db)).rows;
      assert.deepEqual(rows, [
        { id: 'so-completed', status: 'set-up' },
        { id: 'so-failed', status: 'failed' },
        { id: 'so-pending', status: 'pending' },
      ]);
      await assert.rejects(sql`UPDATE standing_orders SET status = 'InitiationCompleted' WHERE id = 'so-pending'`.execute(db), /standing_orders_status_check/);
    });
  });
}
