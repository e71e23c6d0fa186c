import { createUnitOfWork, type Db, type TxContext } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { ConsentsApi } from '../consents/index.ts';
import type { AlongsideWrite } from '../idempotency/index.ts';
import { createSigningBasket, type NewSigningBasket } from './create-signing-basket.ts';
import { createKyselySigningBasketsRepository } from './infra/kysely-signing-baskets-repository.ts';
import type { SigningBasket, SigningBasketStatus } from './signing-basket.ts';
import { recordBasketStatus } from './signing-basket-events.ts';
import { SigningBasketErrors } from './signing-baskets.errors.ts';

/** Signing baskets, as the facades and the PSU's authorisation use them. */
export interface SigningBasketsApi {
  /** The TPP puts consents of its own awaiting authorisation in a new basket (`alongside` commits with it). */
  create(input: NewSigningBasket, now?: Date, alongside?: AlongsideWrite): Promise<SigningBasket>;
  /** Any basket by id (the PSU side, after its own checks). */
  find(id: string): Promise<SigningBasket | undefined>;
  /** The TPP's own basket; anything else is NOT_FOUND, so ids leak nothing. */
  findForClient(id: string, clientId: string): Promise<SigningBasket>;
  /** The TPP cancels its basket while it awaits authorisation: its members stay as they are and can be authorised alone. */
  cancelForClient(id: string, clientId: string, now?: Date): Promise<SigningBasket>;
  /** The basket awaiting authorisation that holds the consent, if any: such a consent is authorised with its basket only. */
  pendingBasketOf(consentId: string): Promise<string | undefined>;
  /** awaiting-authorisation → authorised in the caller's transaction (with its members' authorisations); NOT_AWAITING otherwise. */
  authoriseIn(tx: TxContext, id: string, now?: Date): Promise<SigningBasket>;
  /** awaiting-authorisation → rejected (the PSU denied it, or a member could not be authorised); undefined when it no longer awaited. */
  reject(id: string, now?: Date): Promise<SigningBasket | undefined>;
}

export interface SigningBasketsModuleDeps {
  readonly db: Db;
  /** The consents a basket's members are. */
  readonly consents: Pick<ConsentsApi, 'find'>;
}

export function createSigningBasketsModule(deps: SigningBasketsModuleDeps): SigningBasketsApi {
  const repository = createKyselySigningBasketsRepository(deps.db);
  const uow = createUnitOfWork(deps.db);
  // A basket closed records its new status in the same transaction.
  const closeAndRecord = async (tx: TxContext, id: string, status: Exclude<SigningBasketStatus, 'awaiting-authorisation'>, now: Date) => {
    const closed = await repository.close(tx, id, status, now);
    if (closed) await recordBasketStatus(tx, closed);
    return closed;
  };
  const findForClient = async (id: string, clientId: string) => {
    const basket = await repository.find(id);
    if (!basket || basket.clientId !== clientId) throw new AppError(SigningBasketErrors.NOT_FOUND);
    return basket;
  };
  return {
    create: (input, now = new Date(), alongside) => createSigningBasket({ consents: deps.consents, repository, uow }, input, now, alongside),
    find: (id) => repository.find(id),
    findForClient,
    async cancelForClient(id, clientId, now = new Date()) {
      await findForClient(id, clientId);
      const cancelled = await uow.run((tx) => closeAndRecord(tx, id, 'cancelled', now));
      if (!cancelled) throw new AppError(SigningBasketErrors.NOT_CANCELLABLE);
      return cancelled;
    },
    pendingBasketOf: (consentId) => repository.pendingBasketOf(consentId),
    async authoriseIn(tx, id, now = new Date()) {
      const authorised = await closeAndRecord(tx, id, 'authorised', now);
      if (!authorised) throw new AppError(SigningBasketErrors.NOT_AWAITING);
      return authorised;
    },
    reject: (id, now = new Date()) => uow.run((tx) => closeAndRecord(tx, id, 'rejected', now)),
  };
}
