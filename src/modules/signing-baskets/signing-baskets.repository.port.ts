import type { TxContext } from '../../platform/db/index.ts';
import type { SigningBasket, SigningBasketStatus } from './signing-basket.ts';

/** Where signing baskets and their members are kept. */
export interface SigningBasketsRepository {
  /**
   * Inserts the basket and its members in `tx`; false, with nothing inserted worth keeping (the
   * caller rolls back), when a member is already in another basket awaiting authorisation.
   */
  insert(tx: TxContext, basket: SigningBasket): Promise<boolean>;
  find(id: string, tx?: TxContext): Promise<SigningBasket | undefined>;
  /** The basket awaiting authorisation that holds the consent, if any. */
  pendingBasketOf(consentId: string): Promise<string | undefined>;
  /**
   * Moves the basket from awaiting authorisation to `status` (its members leave it free for
   * another basket), in `tx`; undefined when it no longer awaited authorisation.
   */
  close(tx: TxContext, id: string, status: Exclude<SigningBasketStatus, 'awaiting-authorisation'>, now: Date): Promise<SigningBasket | undefined>;
}
