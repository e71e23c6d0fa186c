import type { Migrations } from '../../../../platform/db/index.ts';
import * as psuIdentity from './0003-psu-identity.ts';
import * as psuPasskeys from './0008-psu-passkeys.ts';

/** The psu-identity module's tables: PSU credentials and passkeys (decision 0008h). */
export const psuIdentityMigrations: Migrations = {
  // Also creates the sandbox module's `sandbox_psus` and `sandbox_seed_runs`: one migration, kept
  // whole with the main owner (its name is recorded by every database migrated before).
  '0003-psu-identity': psuIdentity,
  '0008-psu-passkeys': psuPasskeys,
};
