/*
 * What a core tells the platform happened, where it publishes events (`CoreBanking.emitsEvents`):
 * through the platform's outbox for the built-in ledger, from the bank's event feed for a remote
 * core. They are typed, versioned events of the catalogue (src/core/core-events.ts); readers that
 * keep the core's data refresh from them, and without them read through.
 */

/** Money moved on the accounts: their balances and transactions changed. */
export interface PostedEvent {
  readonly entryId: string;
  readonly kind: string;
  readonly accountIds: string[];
  readonly bookedAt: string;
}

/** A submitted payment (`PaymentExecutor.submit`) was booked or rejected by the core. */
export interface PaymentStatusChangedEvent {
  readonly externalRef: string;
  readonly coreRef: string;
  readonly status: 'booked' | 'rejected';
  readonly accountIds: string[];
}

/** An account's standing orders or scheduled payments changed (not its postings). */
export interface OrdersChangedEvent {
  readonly accountIds: string[];
}

/** An account itself changed: status, name, holders, product. */
export interface AccountChangedEvent {
  readonly accountIds: string[];
}

export type CoreEvent =
  | { readonly type: 'Posted'; readonly payload: PostedEvent }
  | { readonly type: 'PaymentStatusChanged'; readonly payload: PaymentStatusChangedEvent }
  | { readonly type: 'OrdersChanged'; readonly payload: OrdersChangedEvent }
  | { readonly type: 'AccountChanged'; readonly payload: AccountChangedEvent };
