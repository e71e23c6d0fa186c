import type { Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../../platform/db/column-types.ts';

// Column shapes only: the model's types name other modules' kinds, which the platform schema must not import.
type StoredKind = 'resource-update' | 'consent-authorisation-revoked' | 'linked-account-update' | 'certificate-expiring';
type StoredStatus = 'pending' | 'delivered' | 'acknowledged' | 'refused' | 'dead';
/** A `NotifiedResource` as stored. */
interface StoredResource {
  readonly type: 'consent' | 'payment' | 'standing-order' | 'certificate';
  readonly id: string;
  readonly kind?: string;
  readonly reach?: string;
  /** A certificate's warning: its organisation, usage, key id, expiry and days left. */
  readonly organisationId?: string;
  readonly usage?: string;
  readonly kid?: string | null;
  readonly notAfter?: string;
  readonly daysRemaining?: number;
}

/** Each TPP's subscription to notifications, at most one (migration 0037). */
export interface EventSubscriptionsTable {
  id: string;
  client_id: string;
  callback_url: string | null;
  /** The kinds subscribed to; null for the standard's own. */
  kinds: Json<StoredKind[] | null>;
  version: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The notifications raised for TPPs, kept until delivered, acknowledged or past retention (migration 0037). */
export interface EventNotificationsTable {
  /** The SET's `jti`. */
  id: string;
  /** Raising order: a resource's notifications are delivered in it. */
  seq: Generated<bigint>;
  client_id: string;
  /** The domain event it was raised from: one notification per event, however often the event arrives. */
  source_event_id: string;
  kinds: Json<StoredKind[]>;
  resource: Json<StoredResource>;
  /** `<resource type>:<id>`: what per-resource ordering is kept by. */
  resource_key: string;
  correlation_id: string | null;
  occurred_at: Timestamp;
  created_at: Timestamp;
  /** Past this it is dropped, delivered or not (the retention period). */
  expires_at: Timestamp;
  status: StoredStatus;
  /** Push attempts so far. */
  attempts: Generated<number>;
  /** When the next push is due; null when it is not pushed (no callback URL when raised). */
  next_attempt_at: NullableTimestamp;
  /** A delivery worker's lease while it pushes it. */
  claimed_until: NullableTimestamp;
  last_error: string | null;
  /** When it left `pending` for good (delivered, acknowledged, refused); null while pending or dead. */
  finished_at: NullableTimestamp;
  /** Pushes are retried until then; a failure after it moves the notification to the dead-letter queue (migration 0039). */
  retry_until: Timestamp;
}

/** The tables the events module owns. */
export interface EventsTables {
  event_subscriptions: EventSubscriptionsTable;
  event_notifications: EventNotificationsTable;
}
