import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type RawBuilder } from 'kysely';
import { up as keepWireBodies } from '../../src/standards/uk-obie/v4.0/_wire/infra/migrations/0032-ob-wire-bodies.ts';
import { up as dropRequestColumns } from '../../src/modules/payments/infra/migrations/0033-drop-module-request-bodies.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';

const TABLES = ['consents', 'payments', 'standing_orders', 'file_payments'];

for (const dialect of DIALECTS) {
  describe(`migrations 0032 and 0033: the OB request bodies move from the modules' tables to the facade's (${dialect})`, () => {
    let db: TestDatabase;
    const run = (query: RawBuilder<unknown>) => query.execute(db.db);
    before(async () => {
      db = await openTestDatabase(dialect);
    });
    after(async () => {
      await db?.close();
    });

    it('copies the bodies responses echo into ob_wire_bodies, then drops the request columns', async () => {
      // The schema as it was before 0032.
      await run(sql`DROP TABLE ob_wire_bodies`);
      for (const table of TABLES) await run(sql`ALTER TABLE ${sql.table(table)} ADD COLUMN request jsonb`);
      const at = new Date('2026-01-02T03:04:05.000Z');
      const consent = (id: string, kind: string, request: unknown) =>
        run(sql`INSERT INTO consents (id, kind, client_id, status, created_at, status_updated_at, request) VALUES (${id}, ${kind}, 'tpp', 'consumed', ${at}, ${at}, ${JSON.stringify(request)})`);
      const payment = (id: string, kind: string, consentId: string, request: unknown) =>
        run(sql`
          INSERT INTO payments (id, kind, consent_id, client_id, psu_id, status, created_at, status_updated_at, debtor_account_id, amount_minor, currency,
            creditor_name, creditor_scheme, creditor_identification, request)
          VALUES (${id}, ${kind}, ${consentId}, 'tpp', 'psu', 'pending', ${at}, ${at}, 'acc', 100, 'GBP', 'Payee', 'SortCodeAccountNumber', '04000412345678', ${JSON.stringify(request)})`);
      await consent('aac-1', 'account-access', { Data: { Permissions: ['ReadBalances'] }, Risk: {} });
      await consent('pdc-1', 'domestic-payment', { Data: { Initiation: { InstructionIdentification: 'pdc' } }, Risk: {} });
      await consent('pdso-1', 'domestic-standing-order', { Data: { Initiation: { Frequency: 'EvryDay' } }, Risk: {} });
      await consent('pfc-1', 'file-payment', { Data: { Initiation: { FileType: 'UK.OBIE.PaymentInitiation.4.0' } } });
      await payment('pdp-1', 'domestic-payment', 'pdc-1', { Data: { ConsentId: 'pdc-1', Initiation: { InstructionIdentification: 'pdp' } }, Risk: {} });
      // The payments of a file and the instalments of a standing order were created by no request of their own.
      await payment('pfi-1', 'file-payment', 'pfc-1', { InstructionIdentification: 'in-the-file' });
      await payment('psoi-1', 'domestic-standing-order', 'pdso-1', { Data: { ConsentId: 'pdso-1' }, Risk: {} });
      await run(sql`
        INSERT INTO standing_orders (id, consent_id, client_id, psu_id, status, created_at, status_updated_at, debtor_account_id, currency,
          creditor_name, creditor_scheme, creditor_identification, first_amount_minor, first_payment_at, frequency, request)
        VALUES ('pdso-o1', 'pdso-1', 'tpp', 'psu', 'pending', ${at}, ${at}, 'acc', 'GBP', 'Payee', 'SortCodeAccountNumber', '04000412345678', 100, ${at}, 'EvryDay',
          ${JSON.stringify({ Data: { ConsentId: 'pdso-1' }, Risk: {} })})`);
      await run(sql`INSERT INTO file_payments (id, consent_id, client_id, psu_id, created_at, request) VALUES ('pfp-1', 'pfc-1', 'tpp', 'psu', ${at}, ${JSON.stringify({ Data: { ConsentId: 'pfc-1' } })})`);

      await keepWireBodies(db.db as never);
      await dropRequestColumns(db.db as never);

      const kept = await db.db.selectFrom('ob_wire_bodies').selectAll().orderBy('resource_type').orderBy('resource_id').execute();
      assert.deepEqual(kept, [
        { resource_type: 'consent', resource_id: 'aac-1', body: { Data: { Permissions: ['ReadBalances'] }, Risk: {} }, created_at: at },
        { resource_type: 'consent', resource_id: 'pdc-1', body: { Data: { Initiation: { InstructionIdentification: 'pdc' } }, Risk: {} }, created_at: at },
        { resource_type: 'consent', resource_id: 'pdso-1', body: { Data: { Initiation: { Frequency: 'EvryDay' } }, Risk: {} }, created_at: at },
        { resource_type: 'consent', resource_id: 'pfc-1', body: { Data: { Initiation: { FileType: 'UK.OBIE.PaymentInitiation.4.0' } } }, created_at: at },
        { resource_type: 'file-payment', resource_id: 'pfp-1', body: { Data: { ConsentId: 'pfc-1' } }, created_at: at },
        { resource_type: 'payment', resource_id: 'pdp-1', body: { Data: { ConsentId: 'pdc-1', Initiation: { InstructionIdentification: 'pdp' } }, Risk: {} }, created_at: at },
        { resource_type: 'standing-order', resource_id: 'pdso-o1', body: { Data: { ConsentId: 'pdso-1' }, Risk: {} }, created_at: at },
      ]);
      const left = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.columns WHERE column_name = 'request' AND table_name IN ('consents', 'payments', 'standing_orders', 'file_payments')`.execute(db.db);
      assert.deepEqual(left.rows, []);
    });
  });
}
