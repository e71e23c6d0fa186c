import type { Migrations } from '../../../../platform/db/index.ts';
import * as directory from './0004-directory.ts';

/**
 * The directory module's tables: organisations, software statements, certificates, the sandbox QTSP
 * (decision 0008h).
 */
export const directoryMigrations: Migrations = {
  '0004-directory': directory,
};
