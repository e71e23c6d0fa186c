import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResult } from 'kysely/migration';

/**
 * Migrations by name. Each owner of tables (a module, a core adapter, the authorisation server, a
 * facade's wire store, the platform) declares its own; the composition root assembles them into
 * the one list a database is migrated with (`assembleMigrations`).
 */
export type Migrations = Readonly<Record<string, Migration>>;

/**
 * The one ordered list from each owner's migrations: sorted by name, as the migrator applies them
 * and the database records them. A name declared by two owners is refused rather than one
 * silently replacing the other.
 */
export function assembleMigrations(...owners: readonly Migrations[]): Migrations {
  const all = new Map<string, Migration>();
  for (const owner of owners) {
    for (const [name, migration] of Object.entries(owner)) {
      if (all.has(name)) throw new Error(`migration ${name} is declared twice`);
      all.set(name, migration);
    }
  }
  return Object.fromEntries([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface MigrationReport {
  readonly applied: string[];
}

/**
 * Applies pending migrations. Kysely's migrator takes a lock table, so several processes
 * starting at once apply each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<unknown>, migrations: Migrations): Promise<MigrationReport> {
  if (await everyMigrationApplied(db, migrations)) return { applied: [] };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * Whether the database records exactly the known migrations as applied: then there is nothing to
 * lock or run, and a restart skips the migrator's schema introspection and lock round trips
 * (about 0.4 s of CPU on PGlite). Any other state, including an unknown applied migration, goes
 * through the migrator, which applies or reports it.
 */
async function everyMigrationApplied(db: Kysely<unknown>, migrations: Migrations): Promise<boolean> {
  const applied = await appliedMigrations(db);
  const known = Object.keys(migrations);
  return applied.length === known.length && applied.every((name) => known.includes(name));
}

/** The names the migrator recorded as applied; none before its first run. */
async function appliedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const table = await sql<{ name: string | null }>`SELECT to_regclass('kysely_migration')::text AS name`.execute(db);
  if (!table.rows[0]?.name) return [];
  return (await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db)).rows.map((row) => row.name);
}

/** Thrown by `assertSchemaCurrent`: the database lacks migrations this version needs. */
export class SchemaBehindError extends Error {
  constructor(readonly pending: readonly string[]) {
    super(`the database schema is behind this version: ${pending.length} migration(s) pending (${pending.join(', ')}); apply them first with ROLE=migrate (or portico db migrate)`);
    this.name = 'SchemaBehindError';
  }
}

/** The known migrations the database has not applied, in order. */
export async function pendingMigrations(db: Kysely<unknown>, migrations: Migrations): Promise<string[]> {
  const applied = new Set(await appliedMigrations(db));
  return Object.keys(migrations).filter((name) => !applied.has(name));
}

/**
 * For processes that do not migrate (ROLE api or worker): refuses to run on a schema missing
 * migrations this version needs. Migrations a newer version applied are fine (a rolling update
 * migrates before it replaces the processes, and migrations only add).
 */
export async function assertSchemaCurrent(db: Kysely<unknown>, migrations: Migrations): Promise<void> {
  const pending = await pendingMigrations(db, migrations);
  if (pending.length > 0) throw new SchemaBehindError(pending);
}
