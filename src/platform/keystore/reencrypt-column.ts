import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.ts';
import type { PersonalDataCipher } from './personal-data-cipher.ts';

/**
 * A column that holds encrypted personal data, as its owner declares it: its table, the columns of
 * the row's key (what each value is bound to) and how the value is kept — `text`, a JSON string in
 * a `json`b column, or `bytes` (bytea: the encrypted base64 of the bytes, `PersonalDataCipher.encryptBytes`).
 */
export interface EncryptedColumn {
  readonly table: string;
  readonly column: string;
  readonly keys: readonly string[];
  readonly format: 'text' | 'json' | 'bytes';
}

/** The additional data a value of this column is encrypted with: its table, column and row key. */
export const encryptionContext = (column: Pick<EncryptedColumn, 'table' | 'column'>, ...keyValues: readonly string[]): string =>
  `${column.table}.${column.column}:${keyValues.join(':')}`;

const ref = (column: EncryptedColumn) => sql.ref(column.column);

/** Whether the stored value is encrypted under the data key `keyId`, in SQL. */
function underKey(column: EncryptedColumn, keyId: string): RawBuilder<boolean> {
  const prefix = `pd1.${keyId}.`;
  if (column.format === 'bytes') return sql<boolean>`position(${Buffer.from(prefix)}::bytea in ${ref(column)}) = 1`;
  const text = column.format === 'json' ? sql`${ref(column)} #>> '{}'` : sql`${ref(column)}`;
  return sql<boolean>`coalesce(${text} LIKE ${`${prefix}%`}, false)`;
}

/** The value as stored, in the form the cipher takes, and back. */
const codec = {
  text: { read: async (cipher: PersonalDataCipher, value: unknown, context: string) => cipher.decrypt(String(value), context), write: (cipher: PersonalDataCipher, plain: string, context: string) => cipher.encrypt(plain, context) },
  json: {
    read: async (cipher: PersonalDataCipher, value: unknown, context: string) => JSON.stringify(await cipher.decryptJson(value, context)),
    write: (cipher: PersonalDataCipher, plain: string, context: string) => cipher.encryptJson(JSON.parse(plain), context),
  },
  bytes: {
    read: async (cipher: PersonalDataCipher, value: unknown, context: string) => (await cipher.decryptBytes(value as Uint8Array, context)).toString('base64'),
    write: (cipher: PersonalDataCipher, plain: string, context: string) => cipher.encryptBytes(Buffer.from(plain, 'base64'), context),
  },
} as const;

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
  const { read, write } = codec[column.format];
  let after: readonly string[] | undefined;
  let rewritten = 0;
  for (;;) {
    const rows = await sql<Record<string, unknown>>`
      SELECT ${rowKey(column)}, ${ref(column)} AS value FROM ${sql.table(column.table)}
      WHERE ${ref(column)} IS NOT NULL AND ${column.format === 'json' ? sql`jsonb_typeof(${ref(column)}) <> 'null' AND ` : sql``}NOT ${underKey(column, cipher.activeKeyId)}
      ${after ? sql`AND (${rowKey(column)}) > (${sql.join(after)})` : sql``}
      ORDER BY ${rowKey(column)} LIMIT ${batchSize}`.execute(db);
    if (rows.rows.length === 0) return rewritten;
    for (const row of rows.rows) {
      const keyValues = column.keys.map((key) => String(row[key]));
      const context = encryptionContext(column, ...keyValues);
      const stored = write(cipher, await read(cipher, row['value'], context), context);
      const old = column.format === 'json' ? sql`${JSON.stringify(row['value'])}::jsonb` : sql`${row['value']}`;
      const matches = sql.join(column.keys.map((key, i) => sql`${sql.ref(key)} = ${keyValues[i]}`), sql` AND `);
      const updated = await sql`UPDATE ${sql.table(column.table)} SET ${ref(column)} = ${column.format === 'json' ? sql`${stored}::jsonb` : sql`${stored}`} WHERE ${matches} AND ${ref(column)} = ${old}`.execute(db);
      rewritten += Number(updated.numAffectedRows ?? 0n);
    }
    options.onBatch?.(rewritten);
    after = column.keys.map((key) => String(rows.rows.at(-1)![key]));
  }
}

/** How many values of a column are still encrypted under a data key. */
export async function countEncryptedUnder(db: Db, column: EncryptedColumn, keyId: string): Promise<number> {
  const result = await sql<{ count: string }>`SELECT count(*) AS count FROM ${sql.table(column.table)} WHERE ${underKey(column, keyId)}`.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}
