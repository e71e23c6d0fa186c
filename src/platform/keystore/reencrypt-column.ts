import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.ts';
import type { PersonalDataCipher } from './personal-data-cipher.ts';

/**
 * A column that holds encrypted personal data, as its owner declares it: its table, the columns of
 * the row's key (what each value is bound to) and whether the value is a JSON string in a jsonb
 * column or plain text.
 */
export interface EncryptedColumn {
  readonly table: string;
  readonly column: string;
  readonly keys: readonly string[];
  readonly json: boolean;
}

/** The additional data a value of this column is encrypted with: its table, column and row key. */
export const encryptionContext = (column: Pick<EncryptedColumn, 'table' | 'column'>, ...keyValues: readonly string[]): string =>
  `${column.table}.${column.column}:${keyValues.join(':')}`;

/** The stored value as text: a jsonb column's string unquoted (or an object's JSON, stored before encryption). */
const valueText = (column: EncryptedColumn): RawBuilder<string> => (column.json ? sql<string>`${sql.ref(column.column)} #>> '{}'` : sql<string>`${sql.ref(column.column)}`);

const rowKey = (column: EncryptedColumn) => sql.join(column.keys.map((key) => sql.ref(key)));

/**
 * Moves every value of a column to the active data key: values in the clear (written before
 * encryption was on) are encrypted, values under a retired key are encrypted again. In batches by
 * row key; each row is written only if it still holds what was read, so a concurrent write wins.
 * Returns how many values it rewrote.
 */
export async function reencryptColumn(
  db: Db,
  column: EncryptedColumn,
  cipher: PersonalDataCipher,
  options: { readonly batchSize?: number; readonly onBatch?: (rewritten: number) => void } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const current = `pd1.${cipher.activeKeyId}.%`;
  let after: readonly string[] | undefined;
  let rewritten = 0;
  for (;;) {
    const rows = await sql<Record<string, string>>`
      SELECT ${rowKey(column)}, ${valueText(column)} AS value FROM ${sql.table(column.table)}
      WHERE ${sql.ref(column.column)} IS NOT NULL AND ${valueText(column)} NOT LIKE ${current}
      ${after ? sql`AND (${rowKey(column)}) > (${sql.join(after)})` : sql``}
      ORDER BY ${rowKey(column)} LIMIT ${batchSize}`.execute(db);
    if (rows.rows.length === 0) return rewritten;
    for (const row of rows.rows) {
      const keyValues = column.keys.map((key) => String(row[key]));
      const context = encryptionContext(column, ...keyValues);
      const value = cipher.encrypt(await cipher.decrypt(row['value']!, context), context);
      const stored = column.json ? sql`to_jsonb(${value}::text)` : sql`${value}`;
      const matches = sql.join(column.keys.map((key, i) => sql`${sql.ref(key)} = ${keyValues[i]}`), sql` AND `);
      const updated = await sql`UPDATE ${sql.table(column.table)} SET ${sql.ref(column.column)} = ${stored} WHERE ${matches} AND ${valueText(column)} = ${row['value']}`.execute(db);
      rewritten += Number(updated.numAffectedRows ?? 0n);
    }
    options.onBatch?.(rewritten);
    after = column.keys.map((key) => String(rows.rows.at(-1)![key]));
  }
}

/** How many values of a column are still encrypted under a data key. */
export async function countEncryptedUnder(db: Db, column: EncryptedColumn, keyId: string): Promise<number> {
  const result = await sql<{ count: string }>`SELECT count(*) AS count FROM ${sql.table(column.table)} WHERE ${valueText(column)} LIKE ${`pd1.${keyId}.%`}`.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}
