import path from 'node:path';
import { loadConfig } from '../platform/config/index.ts';
import { createDatabase, migrateToLatest } from '../platform/db/index.ts';

/** `portico db migrate`: applies pending migrations and reports them. */
export async function dbMigrateCommand(): Promise<void> {
  const config = loadConfig();
  const database = await createDatabase({ url: config.database.url, pgliteDir: path.join(config.dataDir, 'pglite') });
  try {
    const { applied } = await migrateToLatest(database.db as never);
    process.stdout.write(applied.length === 0 ? 'Database is up to date.\n' : `Applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
  } finally {
    await database.close();
  }
}
