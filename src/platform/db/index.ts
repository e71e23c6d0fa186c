export { createDatabase } from './create-database.ts';
export type { Db, DatabaseHandle, DatabaseOptions } from './create-database.ts';
export { migrateToLatest, assertSchemaCurrent, pendingMigrations, SchemaBehindError } from './migrate.ts';
export { createPgliteTemplate, PGLITE_TEMPLATE_DIR } from './pglite-template.ts';
export type { MigrationReport } from './migrate.ts';
export type * from './schema.ts';
export { deleteInBatches, DELETE_BATCH_SIZE } from './delete-in-batches.ts';
