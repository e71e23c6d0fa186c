export { createDatabase } from './create-database.ts';
export type { Db, DatabaseHandle, DatabaseOptions } from './create-database.ts';
export { migrateToLatest } from './migrate.ts';
export { createPgliteTemplate, PGLITE_TEMPLATE_DIR } from './pglite-template.ts';
export type { MigrationReport } from './migrate.ts';
export type * from './schema.ts';
export { createUnitOfWork, executorOf, ownTables, transactionOf, txContextOf } from './unit-of-work.ts';
export type { OwnedTables, TxContext, UnitOfWork } from './unit-of-work.ts';
export type { Json, NullableTimestamp, Timestamp } from './column-types.ts';
