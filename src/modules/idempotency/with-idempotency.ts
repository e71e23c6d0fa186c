import type { Transaction } from 'kysely';
import { createUnitOfWork, transactionOf, type DatabaseSchema, type Db, type TxContext, type UnitOfWork } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { checkIdempotencyKey } from './check-idempotency-key.ts';
import { IdempotencyErrors } from './idempotency.errors.ts';
import type { IdempotencyRepository } from './idempotency.repository.port.ts';
import { createKyselyIdempotencyRepository } from './infra/kysely-idempotency-repository.ts';

/** OB v4.0 OpenAPI `x-idempotency-key`: "The Idempotency Key will be valid for 24 hours." */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 3600;

/** What one idempotent request claims: its key, in its scope, for its body. */
export interface IdempotencyClaim {
  /** The OAuth client (TPP) sending the request: keys of different clients never meet. */
  readonly clientId: string;
  /** The operation the key is for, e.g. `domestic-payment-consents`: one key may serve several operations. */
  readonly operation: string;
  /** The request's idempotency key (`checkIdempotencyKey` rules). */
  readonly key: string;
  /** The hash of the request as received (the facade's, e.g. `requestHash` of the body): a repeat must have the same. */
  readonly requestHash: string;
  /**
   * Writes of the caller's that belong with the resource (a facade keeping the request as it
   * received it), run in the creating transaction after `create`; not run for a repeat.
   */
  readonly alongside?: AlongsideWrite | undefined;
  /**
   * The id the resource will have, when the caller chooses it before creating: the claim records
   * it at once (one write instead of two), and `create` must answer it.
   */
  readonly resourceId?: string | undefined;
}

/** Work that joins the transaction creating a resource, given the resource's id. */
export type AlongsideWrite = (tx: TxContext, resourceId: string) => Promise<void>;

/** What a use case creating a resource idempotently is told of the request, by the facade that received it. */
export interface ReceivedRequest {
  /** The facade's hash of the request as received (`requestHash` of its body): what a repeat must equal. */
  readonly requestHash: string;
  /** Writes that commit with the resource (the facade keeping the request as received). */
  readonly alongside?: AlongsideWrite | undefined;
}

export interface IdempotentOutcome {
  /** True for the request that created the resource; false for a repeat of it, which created nothing. */
  readonly created: boolean;
  /** The resource the first request created, whichever request this is. */
  readonly resourceId: string;
}

/**
 * Creates a resource at most once per idempotency key (OB v4.0: "Every request will be processed
 * only once per x-idempotency-key"), correctly across processes and concurrent requests.
 *
 * In one transaction: the key is claimed (a row keyed by client, operation and key), `create` runs
 * and the claim records the resource id. A concurrent request with the same key waits on the
 * claim's primary key until that transaction ends: if it committed, the waiter answers with its
 * resource (same body) or KEY_REUSED (another body); if it rolled back (`create` failed), the
 * waiter claims the key itself. So a failed creation leaves no trace, and a success is answered for
 * 24 hours, after which the key may be used again.
 *
 * `create` must do all its writes through `tx` (never on the database directly: that would escape
 * the transaction and, with every pool connection waiting on the claim, could deadlock), and must
 * not open a transaction of its own (Kysely does not nest them); it returns the created resource's id.
 */
export async function runIdempotently(
  uow: UnitOfWork,
  repository: IdempotencyRepository,
  claim: IdempotencyClaim,
  create: (tx: TxContext) => Promise<string>,
  now: Date = new Date(),
): Promise<IdempotentOutcome> {
  const key = checkIdempotencyKey(claim.key);
  if (claim.clientId === '' || claim.operation === '' || claim.requestHash === '') throw new Error('an idempotency claim needs a client, an operation and a request hash');
  const scope = { clientId: claim.clientId, operation: claim.operation, key };
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_SECONDS * 1000);
  return uow.run(async (tx) => {
    // Claims the key when it is new, or takes it over when its 24 hours are over.
    if (await repository.claim(tx, scope, claim.requestHash, now, expiresAt, claim.resourceId)) {
      const resourceId = await create(tx);
      await claim.alongside?.(tx, resourceId);
      if (claim.resourceId === undefined) await repository.recordResource(tx, scope, resourceId);
      else if (resourceId !== claim.resourceId) throw new Error(`an idempotent creation answered ${resourceId} for the claim of ${claim.resourceId}`);
      return { created: true, resourceId };
    }
    // Read committed: this statement sees the claim as its transaction committed it.
    const existing = await repository.find(tx, scope);
    if (!existing) throw new Error('an idempotency claim refused was not found');
    if (existing.requestHash !== claim.requestHash) throw new AppError(IdempotencyErrors.KEY_REUSED);
    if (existing.resourceId === null) throw new Error('an idempotency claim was committed without its resource');
    return { created: false, resourceId: existing.resourceId };
  });
}

/**
 * `runIdempotently` on the database, for callers whose `create` still writes through the Kysely
 * transaction itself.
 */
export function withIdempotency(
  db: Db,
  claim: IdempotencyClaim,
  create: (trx: Transaction<DatabaseSchema>) => Promise<string>,
  now: Date = new Date(),
): Promise<IdempotentOutcome> {
  return runIdempotently(createUnitOfWork(db), createKyselyIdempotencyRepository(db), claim, (tx) => create(transactionOf(tx)), now);
}
