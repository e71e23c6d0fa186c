import { sql, type Kysely } from 'kysely';

/**
 * A payment file's stored entries keep the neutral terms only: each entry's `instruction` (the
 * payment as the file held it, in the standard's JSON) is dropped. The uploaded file itself is kept
 * as it was received (`payment_files.content`), so a standard that echoes the file's payments reads
 * them from it again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE payment_files
    SET entries = (SELECT jsonb_agg(entry - 'instruction' ORDER BY position) FROM jsonb_array_elements(entries) WITH ORDINALITY AS e(entry, position))
    WHERE entries IS NOT NULL AND jsonb_typeof(entries) = 'array' AND jsonb_array_length(entries) > 0`.execute(db);
}
