import { loadConfig, type Config } from '../platform/config/index.ts';
import { migrateToLatest } from '../platform/db/index.ts';
import { porticoMigrations } from '../app/portico-migrations.ts';
import { createSandboxModule, DEFAULT_SANDBOX_SEED } from '../modules/sandbox/index.ts';
import { withDatabase } from './embedded-database.ts';

/**
 * `portico db migrate` (and `portico start` with ROLE=migrate): applies pending migrations and
 * reports them. With ROLE=migrate in sandbox mode it also seeds the sandbox bank when the database
 * has none, since the api and worker processes of a scaled-out deployment neither migrate nor seed.
 */
export async function dbMigrateCommand(config: Config = loadConfig()): Promise<void> {
  await withDatabase(config, {
    migrate: false,
    async direct(database) {
      const { applied } = await migrateToLatest(database.db as never, porticoMigrations);
      process.stdout.write(applied.length === 0 ? 'Database is up to date.\n' : `Applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
      const sandbox = createSandboxModule({ db: database.db });
      if (config.process.role === 'migrate' && config.sandbox.enabled && !(await sandbox.isSeeded())) {
        await sandbox.seed({ ...DEFAULT_SANDBOX_SEED, asOf: new Date() });
        process.stdout.write('Seeded the sandbox bank.\n');
      }
    },
  });
}
