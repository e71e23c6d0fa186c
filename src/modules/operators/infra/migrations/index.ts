import type { Migrations } from '../../../../platform/db/index.ts';
import * as operators from './0051-operators.ts';
import * as operatorPasskeys from './0053-operator-passkeys.ts';

/** The operators module's tables: console logins (decision 0017e) and their passkeys. */
export const operatorsMigrations: Migrations = {
  '0051-operators': operators,
  '0053-operator-passkeys': operatorPasskeys,
};
