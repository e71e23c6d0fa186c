import type { Migrations } from '../../../../platform/db/index.ts';
import * as directory from './0004-directory.ts';
import * as tppRegisters from './0043-tpp-registers.ts';

/**
 * The directory module's tables: organisations, software statements, certificates, the sandbox QTSP,
 * and the competent authorities' registers (decision 0008h).
 */
export const directoryMigrations: Migrations = {
  '0004-directory': directory,
  '0043-tpp-registers': tppRegisters,
};
