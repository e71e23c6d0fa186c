export { createDatabase } from './create-database.ts';
export type { Db, DatabaseHandle, DatabaseOptions } from './create-database.ts';
export { migrateToLatest } from './migrate.ts';
export type { MigrationReport } from './migrate.ts';
export type * from './schema.ts';
