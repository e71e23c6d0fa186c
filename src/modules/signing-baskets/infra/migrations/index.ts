import type { Migrations } from '../../../../platform/db/index.ts';
import * as signingBaskets from './0057-signing-baskets.ts';

/** The signing baskets module's tables (decision 0008h). */
export const signingBasketsMigrations: Migrations = {
  '0057-signing-baskets': signingBaskets,
};
