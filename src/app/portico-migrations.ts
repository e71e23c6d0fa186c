import { authMigrations } from '../auth/infra/migrations/index.ts';
import { auditMigrations } from '../modules/audit/infra/migrations/index.ts';
import { ledgerMigrations } from '../core/adapters/ledger/migrations/index.ts';
import { remoteCoreMigrations } from '../core/adapters/remote/migrations/index.ts';
import { riskMigrations } from '../modules/risk/infra/migrations/index.ts';
import { accountsMigrations } from '../modules/accounts/infra/migrations/index.ts';
import { consentsMigrations } from '../modules/consents/infra/migrations/index.ts';
import { directoryMigrations } from '../modules/directory/infra/migrations/index.ts';
import { eventsMigrations } from '../modules/events/infra/migrations/index.ts';
import { idempotencyMigrations } from '../modules/idempotency/infra/migrations/index.ts';
import { insightsMigrations } from '../modules/insights/infra/migrations/index.ts';
import { operatorsMigrations } from '../modules/operators/infra/migrations/index.ts';
import { paymentsMigrations } from '../modules/payments/infra/migrations/index.ts';
import { psuAuthorisationMigrations } from '../modules/psu-authorisation/infra/migrations/index.ts';
import { signingBasketsMigrations } from '../modules/signing-baskets/infra/migrations/index.ts';
import { psuIdentityMigrations } from '../modules/psu-identity/infra/migrations/index.ts';
import { assembleMigrations } from '../platform/db/index.ts';
import { platformMigrations } from '../platform/db/migrations/index.ts';
import { xs2aWireMigrations } from '../standards/berlin-group/v1.3/_wire/infra/migrations/index.ts';
import { obWireMigrations } from '../standards/uk-obie/v4.0/_wire/infra/migrations/index.ts';

/**
 * Every migration of this version, in the order they apply, assembled from the owners of the
 * tables (decision 0008h): what `ROLE=all` and `ROLE=migrate` apply, what `api` and `worker`
 * processes require applied, what the PGlite template of `npm run build` holds and what the test
 * harness migrates. A module's migrations are imported here and nowhere else
 * (`.dependency-cruiser.cjs`, `migrations-assembled-by-the-composition-root`).
 */
export const porticoMigrations = assembleMigrations(
  platformMigrations,
  ledgerMigrations,
  psuIdentityMigrations,
  directoryMigrations,
  authMigrations,
  consentsMigrations,
  accountsMigrations,
  idempotencyMigrations,
  paymentsMigrations,
  obWireMigrations,
  eventsMigrations,
  remoteCoreMigrations,
  psuAuthorisationMigrations,
  xs2aWireMigrations,
  insightsMigrations,
  auditMigrations,
  riskMigrations,
  operatorsMigrations,
  signingBasketsMigrations,
);
