/**
 * Idempotent creation of resources (OB v4.0 `x-idempotency-key` on every payment and consent POST):
 * a key, scoped to the client and the operation, creates one resource, and repeats of the same
 * request within 24 hours answer with that resource instead of creating another.
 */
export { createIdempotencyModule } from './create-idempotency-module.ts';
export type { IdempotencyApi, IdempotencyModuleDeps } from './create-idempotency-module.ts';
export { IDEMPOTENCY_KEY_TTL_SECONDS } from './with-idempotency.ts';
export type { AlongsideWrite, IdempotencyClaim, ReceivedRequest, IdempotentOutcome } from './with-idempotency.ts';
export { checkIdempotencyKey, IDEMPOTENCY_KEY_MAX_LENGTH } from './check-idempotency-key.ts';
export { requestHash } from './request-hash.ts';
export { IdempotencyErrors } from './idempotency.errors.ts';
// Functions over the whole database, for callers that have not moved to the API object yet.
export { withIdempotency } from './with-idempotency.ts';
export { deleteExpiredIdempotencyKeys } from './delete-expired-idempotency-keys.ts';
export type { IdempotencyTables } from './infra/idempotency.tables.ts';
