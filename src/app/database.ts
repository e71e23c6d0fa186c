import type { AuthTables } from '../auth/index.ts';
import type { AuditTables } from '../modules/audit/index.ts';
import type { RiskTables } from '../modules/risk/index.ts';
import type { AccountsTables } from '../modules/accounts/index.ts';
import type { ConsentsTables } from '../modules/consents/index.ts';
import type { DirectoryTables } from '../modules/directory/index.ts';
import type { EventsTables } from '../modules/events/index.ts';
import type { IdempotencyTables } from '../modules/idempotency/index.ts';
import type { PaymentsTables } from '../modules/payments/index.ts';
import type { PsuAuthorisationTables } from '../modules/psu-authorisation/index.ts';
import type { InsightsTables } from '../modules/insights/index.ts';
import type { OperatorsTables } from '../modules/operators/index.ts';
import type { SigningBasketsTables } from '../modules/signing-baskets/index.ts';
import type { PsuIdentityTables } from '../modules/psu-identity/index.ts';
import type { SandboxTables } from '../modules/sandbox/index.ts';
import type { DatabaseSchema } from '../platform/db/index.ts';
import type { ObWireTables } from '../standards/uk-obie/v4.0/index.ts';
import type { Xs2aWireTables } from '../standards/berlin-group/v1.3/index.ts';

/** The tables modules (the authorisation server, and the OB facade for the bodies it echoes) declare in their own infra/. */
type ModuleTables = AccountsTables & AuditTables & AuthTables & ConsentsTables & DirectoryTables & EventsTables & IdempotencyTables & PaymentsTables & PsuIdentityTables & PsuAuthorisationTables & SigningBasketsTables & SandboxTables & ObWireTables & Xs2aWireTables & InsightsTables & OperatorsTables & RiskTables;

/**
 * The whole database: each module's tables, and those still declared in platform/db/schema.ts
 * until their modules take them over (decision 0008d).
 */
export type PorticoDatabase = ModuleTables & Omit<DatabaseSchema, keyof ModuleTables>;

// The assembled schema and the platform's must stay the same while both exist.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasAgree: Same<PorticoDatabase, DatabaseSchema> = true;
void schemasAgree;
