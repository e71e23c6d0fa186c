import { createUnitOfWork, type Db, type TxContext, type UnitOfWork } from '../../platform/db/index.ts';
import { deleteExpiredKeys } from './delete-expired-idempotency-keys.ts';
import type { IdempotencyRepository } from './idempotency.repository.port.ts';
import { createKyselyIdempotencyRepository } from './infra/kysely-idempotency-repository.ts';
import { runIdempotently, type IdempotencyClaim, type IdempotentOutcome } from './with-idempotency.ts';

/** Idempotent creation of resources, as the rest of the platform uses it. */
export interface IdempotencyApi {
  /**
   * Creates a resource at most once per key (see `runIdempotently`): `create` writes through `tx`,
   * the transaction holding the claim, and returns the resource id.
   */
  withIdempotency(claim: IdempotencyClaim, create: (tx: TxContext) => Promise<string>, now?: Date): Promise<IdempotentOutcome>;
  /** Housekeeping: deletes keys past their 24 hours and returns how many went. */
  deleteExpiredKeys(now?: Date): Promise<number>;
}

export interface IdempotencyModuleDeps {
  readonly db: Db;
  /** The unit of work other modules' writes join; one over `db` when not given. */
  readonly uow?: UnitOfWork;
}

/** The idempotency module over its repository (tests give one of their own). */
export function idempotencyApiOver(uow: UnitOfWork, repository: IdempotencyRepository): IdempotencyApi {
  return {
    withIdempotency: (claim, create, now) => runIdempotently(uow, repository, claim, create, now),
    deleteExpiredKeys: (now) => deleteExpiredKeys(repository, now),
  };
}

/** The idempotency module on the platform database. */
export function createIdempotencyModule(deps: IdempotencyModuleDeps): IdempotencyApi {
  return idempotencyApiOver(deps.uow ?? createUnitOfWork(deps.db), createKyselyIdempotencyRepository(deps.db));
}
