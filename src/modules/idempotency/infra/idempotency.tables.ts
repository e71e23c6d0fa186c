import type { Timestamp } from '../../../platform/db/column-types.ts';

/** Idempotency keys of resource-creating POSTs, kept 24 hours (migration 0010). */
export interface IdempotencyKeysTable {
  client_id: string;
  /** The operation the key is scoped to, e.g. `domestic-payment-consents`. */
  operation: string;
  idempotency_key: string;
  /** base64url SHA-256 of the canonical JSON of the request body the key was first used with. */
  request_hash: string;
  /** The resource that request created; null only inside the transaction creating it. */
  resource_id: string | null;
  created_at: Timestamp;
  /** After this the key may be used again, for a new request. */
  expires_at: Timestamp;
}

/** The tables the idempotency module owns. */
export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable;
}
