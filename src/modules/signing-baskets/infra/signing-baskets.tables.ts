import type { Timestamp } from '../../../platform/db/column-types.ts';

/** Signing baskets (migration 0057; `SigningBasket`). */
export interface SigningBasketsTable {
  id: string;
  client_id: string;
  status: string;
  created_at: Timestamp;
  status_updated_at: Timestamp;
}

/** The members of each basket; `pending` while the basket awaits authorisation. */
export interface SigningBasketMembersTable {
  basket_id: string;
  consent_id: string;
  position: number;
  pending: boolean;
}

/** The tables the signing baskets module owns. */
export interface SigningBasketsTables {
  signing_baskets: SigningBasketsTable;
  signing_basket_members: SigningBasketMembersTable;
}
