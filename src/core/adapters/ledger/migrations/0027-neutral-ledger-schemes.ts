import { sql, type Kysely } from 'kysely';

/**
 * The ledger records account schemes by neutral names (`sort-code-account`, `iban`) on its
 * transactions (statement lines) and account orders; rows written before stored UK Open Banking's (`UK.OBIE.SortCodeAccountNumber`, `UK.OBIE.IBAN`). The AIS facade
 * maps the neutral names back, so what TPPs read is unchanged.
 */
const COLUMNS = [
  ['bank_transactions', 'counterparty_scheme'],
  ['bank_beneficiaries', 'creditor_scheme'],
  ['bank_standing_orders', 'creditor_scheme'],
  ['bank_scheduled_payments', 'creditor_scheme'],
] as const;

const RENAMES = [
  ['UK.OBIE.SortCodeAccountNumber', 'sort-code-account'],
  ['UK.OBIE.IBAN', 'iban'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of COLUMNS) {
    for (const [from, to] of RENAMES) {
      await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${to} WHERE ${sql.ref(column)} = ${from}`.execute(db);
    }
  }
}
