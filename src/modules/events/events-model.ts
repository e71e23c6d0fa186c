import type { ConsentKind } from '../consents/index.ts';
import type { PaymentReach } from '../payments/index.ts';

/**
 * What a TPP is told happened, in no standard's terms: a resource of its own changed
 * (`resource-update`), a consent's authorisation was withdrawn by someone other than the TPP
 * (`consent-authorisation-revoked`), an account a consent gives access to was closed or blocked
 * (`linked-account-update`), or one of its certificates expires soon (`certificate-expiring`, 30, 7
 * and 1 days before). Each standard names them its own way (UK OB: the event URNs, and a Portico
 * URN for the certificate warnings, which OB does not define).
 */
export type NotificationKind = 'resource-update' | 'consent-authorisation-revoked' | 'linked-account-update' | 'certificate-expiring';

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['resource-update', 'consent-authorisation-revoked', 'linked-account-update', 'certificate-expiring'];

/**
 * The kinds a subscription that names none receives: the standard's own. A kind a standard does
 * not define (`certificate-expiring`) goes only to a TPP that asked for it by name, so a TPP
 * subscribed to "everything" is never sent an event its standard's schema does not allow.
 */
export const DEFAULT_NOTIFICATION_KINDS: readonly NotificationKind[] = ['resource-update', 'consent-authorisation-revoked', 'linked-account-update'];

/**
 * The TPP's resource a notification is about, as the TPP knows it: a consent of a kind, a payment
 * order (a file's payments are one file payment, a VRP's payments each their own), a standing
 * order, or a certificate of its organisation (by serial number) with what its expiry warning
 * says: its usage, its key's id for a signing certificate, when it expires (ISO 8601) and the whole
 * days left when warned.
 */
export type NotifiedResource =
  | { readonly type: 'consent'; readonly kind: ConsentKind; readonly id: string }
  | { readonly type: 'payment'; readonly kind: 'single' | 'scheduled' | 'file' | 'recurring'; readonly reach: PaymentReach; readonly id: string }
  | { readonly type: 'standing-order'; readonly reach: PaymentReach; readonly id: string }
  | {
      readonly type: 'certificate';
      readonly id: string;
      readonly organisationId: string;
      readonly usage: 'transport' | 'signing';
      readonly kid: string | null;
      readonly notAfter: string;
      readonly daysRemaining: number;
    };

/** A TPP's subscription to notifications: at most one per TPP. */
export interface EventSubscription {
  readonly id: string;
  readonly clientId: string;
  /** Where notifications are pushed; null when the TPP only polls. */
  readonly callbackUrl: string | null;
  /** The kinds it wants; null for the standard's own (`DEFAULT_NOTIFICATION_KINDS`). */
  readonly kinds: readonly NotificationKind[] | null;
  /** The notification format version the TPP asked for, as the standard names it. */
  readonly version: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a TPP asks for when it subscribes or changes its subscription. */
export interface SubscriptionRequest {
  readonly callbackUrl: string | null;
  readonly kinds: readonly NotificationKind[] | null;
  readonly version: string;
}

/**
 * Where a notification stands: waiting to be pushed or polled (`pending`); pushed and accepted
 * (`delivered`); acknowledged by a poll (`acknowledged`); refused by the TPP with an error when
 * polled (`refused`); or given up on after the push retries ran out (`dead`, the dead-letter
 * queue, still pollable and replayable).
 */
export type NotificationStatus = 'pending' | 'delivered' | 'acknowledged' | 'refused' | 'dead';

/** One notification to one TPP: its id is the SET's `jti`, stable across every delivery of it. */
export interface Notification {
  readonly id: string;
  readonly clientId: string;
  readonly kinds: readonly NotificationKind[];
  readonly resource: NotifiedResource;
  /** The interaction id of the call that caused it, when a call did. */
  readonly correlationId: string | null;
  /** When the change happened (the domain event's time). */
  readonly occurredAt: Date;
  readonly status: NotificationStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
}

/** A poll of the TPP's notifications (RFC 8936 aggregated polling, as each standard frames it). */
export interface PollRequest {
  /** How many to return at most; 0 returns none (acknowledgements only). */
  readonly maxEvents: number;
  /** Answer at once even when there is nothing; otherwise wait a bounded time for something. */
  readonly returnImmediately: boolean;
  /** Notifications the TPP received and processed. */
  readonly ack: readonly string[];
  /** Notifications the TPP received and could not process, with its error code and description. */
  readonly errors: ReadonlyArray<{ readonly id: string; readonly error: string; readonly description: string }>;
}

export interface PollResult {
  readonly notifications: readonly Notification[];
  /** More notifications are waiting than were returned. */
  readonly moreAvailable: boolean;
}
