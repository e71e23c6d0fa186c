import type { Migrations } from '../../../../platform/db/index.ts';
import * as directory from './0004-directory.ts';
import * as tppRegisters from './0043-tpp-registers.ts';
import * as trustedLists from './0044-trusted-lists.ts';
import * as certificateExpiryWarnings from './0045-certificate-expiry-warnings.ts';

/**
 * The directory module's tables: organisations, software statements, certificates, the sandbox QTSP,
 * the competent authorities' registers and the trusted lists (decision 0008h).
 */
export const directoryMigrations: Migrations = {
  '0004-directory': directory,
  '0043-tpp-registers': tppRegisters,
  '0044-trusted-lists': trustedLists,
  '0045-certificate-expiry-warnings': certificateExpiryWarnings,
};
