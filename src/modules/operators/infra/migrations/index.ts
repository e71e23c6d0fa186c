import type { Migrations } from '../../../../platform/db/index.ts';
import * as operators from './0051-operators.ts';

/** The operators module's tables: console logins (decision 0017e). */
export const operatorsMigrations: Migrations = {
  '0051-operators': operators,
};
