import type { Migrations } from '../../../../platform/db/index.ts';
import * as aisAccountRefs from './0009-ais-account-refs.ts';
import * as accountReadModel from './0034-account-read-model.ts';

/**
 * The accounts module's tables: the AccountIds TPPs see and the read model of the core's accounts
 * (decision 0008h).
 */
export const accountsMigrations: Migrations = {
  '0009-ais-account-refs': aisAccountRefs,
  '0034-account-read-model': accountReadModel,
};
