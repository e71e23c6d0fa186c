import { assembleMigrations, platformMigrations } from '../platform/db/index.ts';

/**
 * Every migration of this version, in the order they apply: what `ROLE=all` and `ROLE=migrate`
 * apply, what `api` and `worker` processes require applied, what the PGlite template of
 * `npm run build` holds and what the test harness migrates.
 */
export const porticoMigrations = assembleMigrations(platformMigrations);
