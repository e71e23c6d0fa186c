/**
 * A signing basket: consents of one TPP — payments to make, access to grant — that the PSU
 * authorises with one strong customer authentication (Berlin Group's Signing Baskets Service).
 * Members are consents still awaiting authorisation, each in at most one basket awaiting
 * authorisation at a time. Authorising the basket authorises every member in one transaction.
 */
export type SigningBasketStatus =
  /** Created; its SCA is still to come. Its members cannot be authorised alone meanwhile. */
  | 'awaiting-authorisation'
  /** The PSU authorised it: every member was authorised with it. */
  | 'authorised'
  /** The PSU denied it, or a member could no longer be authorised when the PSU approved: nothing was authorised. */
  | 'rejected'
  /** The TPP cancelled it before it was authorised; its members stay as they were. */
  | 'cancelled';

export interface SigningBasket {
  readonly id: string;
  readonly clientId: string;
  /** The member consents, in the order the TPP gave them. */
  readonly consentIds: readonly string[];
  readonly status: SigningBasketStatus;
  readonly createdAt: Date;
  readonly statusUpdatedAt: Date;
}
