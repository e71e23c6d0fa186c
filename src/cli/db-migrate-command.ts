import { loadConfig } from '../platform/config/index.ts';
import { migrateToLatest } from '../platform/db/index.ts';
import { withDatabase } from './embedded-database.ts';

/** `portico db migrate`: applies pending migrations and reports them. */
export async function dbMigrateCommand(): Promise<void> {
  await withDatabase(loadConfig(), {
    migrate: false,
    async direct(database) {
      const { applied } = await migrateToLatest(database.db as never);
      process.stdout.write(applied.length === 0 ? 'Database is up to date.\n' : `Applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
    },
  });
}
