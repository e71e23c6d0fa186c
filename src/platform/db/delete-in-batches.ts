import { sql, type Kysely } from 'kysely';

/** Rows one clean-up statement deletes at most: short statements, no long table locks. */
export const DELETE_BATCH_SIZE = 1000;

/**
 * Runs `deleteBatch` (which deletes at most `limit` rows and says how many) until a batch comes
 * back short, and returns the total deleted.
 */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<bigint | number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = Number(await deleteBatch(DELETE_BATCH_SIZE));
    total += deleted;
    if (deleted < DELETE_BATCH_SIZE) return total;
  }
}

/**
 * Deletes the rows of `table` whose `column` is before `before`, in batches (`deleteInBatches`),
 * each picked by the rows' physical ids: it serves tables whose keys are composite. The column
 * should be indexed. Returns the rows deleted.
 */
export function deleteRowsBefore<S>(db: Kysely<S>, table: keyof S & string, column: string, before: Date): Promise<number> {
  return deleteInBatches(async (limit) => {
    const deleted = await sql`DELETE FROM ${sql.table(table)} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${sql.table(table)} WHERE ${sql.ref(column)} < ${before} LIMIT ${limit}))`.execute(db);
    return deleted.numAffectedRows ?? 0n;
  });
}
