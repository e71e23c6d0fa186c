import type { Migrations } from '../../../../platform/db/index.ts';
import * as idempotencyKeys from './0010-idempotency-keys.ts';

/** The idempotency module's table (decision 0008h). */
export const idempotencyMigrations: Migrations = {
  '0010-idempotency-keys': idempotencyKeys,
};
