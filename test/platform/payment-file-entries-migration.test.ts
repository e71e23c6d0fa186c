import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { up as neutralEntries } from '../../src/modules/payments/infra/migrations/0036-payment-file-entries-neutral.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';

for (const dialect of DIALECTS) {
  describe(`migration 0036: a payment file's stored entries keep the neutral terms only (${dialect})`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await openTestDatabase(dialect);
    });
    after(async () => {
      await db?.close();
    });

    it("drops each entry's instruction (the standard's JSON), keeps its terms and the file's order; a file not uploaded yet is left as it is", async () => {
      const at = new Date('2026-01-02T03:04:05.000Z');
      const entry = (n: number) => ({ amountMinor: `${n}00`, currency: 'GBP', creditorName: `Payee ${n}`, creditorScheme: 'SortCodeAccountNumber', creditorIdentification: '04000412345678', reference: `R${n}` });
      const file = (consentId: string, entries: unknown[] | null) =>
        sql`
          INSERT INTO consents (id, kind, client_id, status, created_at, status_updated_at) VALUES (${consentId}, 'file-payment', 'tpp', 'authorised', ${at}, ${at});
        `.execute(db.db).then(() =>
          sql`
            INSERT INTO payment_files (consent_id, file_type, file_hash, content, content_type, entries, uploaded_at)
            VALUES (${consentId}, 'UK.OBIE.PaymentInitiation.4.0', 'hash', ${entries ? Buffer.from('{}') : null}, ${entries ? 'application/json' : null}, ${entries ? JSON.stringify(entries) : null}, ${entries ? at : null})`.execute(db.db),
        );
      await file('pfc-uploaded', [1, 2, 3].map((n) => ({ ...entry(n), instruction: { InstructionIdentification: `I${n}`, LocalInstrument: 'UK.OBIE.FPS' } })));
      await file('pfc-declared', null);

      await neutralEntries(db.db as never);

      const rows = await db.db.selectFrom('payment_files').select(['consent_id', 'entries']).orderBy('consent_id').execute();
      assert.deepEqual(rows, [
        { consent_id: 'pfc-declared', entries: null },
        { consent_id: 'pfc-uploaded', entries: [entry(1), entry(2), entry(3)] },
      ]);
    });
  });
}
