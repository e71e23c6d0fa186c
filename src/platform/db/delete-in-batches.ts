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
