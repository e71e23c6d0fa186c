import type { TxContext } from '../../platform/db/index.ts';

/** Where a claim is kept: one key of one client for one operation. */
export interface IdempotencyScope {
  readonly clientId: string;
  readonly operation: string;
  readonly key: string;
}

/** A stored claim: the request it was made for and, once created, its resource. */
export interface StoredIdempotencyClaim {
  readonly requestHash: string;
  readonly resourceId: string | null;
}

/** What idempotent creation needs from storage. */
export interface IdempotencyRepository {
  /**
   * Claims the key for `requestHash` when it is new or its claim expired by `now`, and returns
   * true; returns false when an unexpired claim holds it. Either way the claim stays locked until
   * `tx` ends, so a concurrent claim of the same key waits for it. `resourceId`, when the caller
   * knows it already, is recorded with the claim.
   */
  claim(tx: TxContext, scope: IdempotencyScope, requestHash: string, now: Date, expiresAt: Date, resourceId?: string): Promise<boolean>;
  /** Records the resource the claim created. */
  recordResource(tx: TxContext, scope: IdempotencyScope, resourceId: string): Promise<void>;
  /** The claim as committed (read committed), which the caller must have seen `claim` refuse. */
  find(tx: TxContext, scope: IdempotencyScope): Promise<StoredIdempotencyClaim | undefined>;
  /** Deletes at most `limit` claims expired by `now`, each in a statement of its own transaction, and returns how many. */
  deleteExpired(now: Date, limit: number): Promise<number>;
}
