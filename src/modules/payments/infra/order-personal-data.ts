import { encryptionContext, type EncryptedColumn, type PersonalDataCipher } from '../../../platform/keystore/index.ts';

/** The columns of a payment or standing order that name people and their accounts. */
const FIELDS = ['debtor_identification', 'debtor_name', 'creditor_name', 'creditor_identification'] as const;
type Field = (typeof FIELDS)[number];
type OrderTable = 'payments' | 'standing_orders';
type PersonalFields = { readonly [F in Field]: string | null };

/** Encrypted at rest (decision 0012d), each value bound to its row and column. */
export const ORDER_ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = (['payments', 'standing_orders'] as const).flatMap((table) =>
  FIELDS.map((column) => ({ table, column, keys: ['id'], format: 'text' })),
);

const contextOf = (table: OrderTable, column: Field, id: string) => encryptionContext({ table, column }, id);

/** The personal columns of a new row, encrypted; the others as they are. */
export function encryptedOrderFields<V extends PersonalFields & { readonly id: string }>(table: OrderTable, values: V, cipher: PersonalDataCipher): V {
  const encrypted: Record<string, string | null> = {};
  for (const field of FIELDS) {
    const value = values[field];
    encrypted[field] = value === null ? null : cipher.encrypt(value, contextOf(table, field, values.id));
  }
  return { ...values, ...encrypted };
}

/** Rows as stored, their personal columns decrypted (values from before encryption as they are). */
export async function decryptedOrderRows<R extends PersonalFields & { readonly id: string }>(table: OrderTable, rows: readonly R[], cipher: PersonalDataCipher): Promise<R[]> {
  await cipher.prepare(rows.flatMap((row) => FIELDS.map((field) => row[field])));
  return rows.map((row) => {
    const decrypted: Record<string, string | null> = {};
    for (const field of FIELDS) {
      const value = row[field];
      decrypted[field] = value === null ? null : cipher.decryptKnown(value, contextOf(table, field, row.id));
    }
    return { ...row, ...decrypted };
  });
}
