import type { EventSubscription, Notification, NotificationKind, NotifiedResource, SubscriptionRequest } from './events-model.ts';

/** A notification as it is raised. */
export interface NewNotification {
  readonly id: string;
  readonly clientId: string;
  readonly sourceEventId: string;
  readonly kinds: readonly NotificationKind[];
  readonly resource: NotifiedResource;
  readonly correlationId: string | null;
  readonly occurredAt: Date;
  readonly expiresAt: Date;
  /** When its first push is due; null when it is only polled. */
  readonly pushAt: Date | null;
  /** Pushes are retried until then. */
  readonly retryUntil: Date;
}

/** A notification claimed for a push: where to, and until when it may be retried. */
export interface DueNotification extends Notification {
  readonly callbackUrl: string;
  readonly retryUntil: Date;
}

/** A push that failed: when to try again, or null to give up (the dead-letter queue). */
export interface FailedPush {
  readonly id: string;
  readonly error: string;
  readonly retryAt: Date | null;
}

/** What the events module needs from storage. */
export interface EventsRepository {
  /** The TPP's subscription, if it has one. */
  subscriptionOf(clientId: string): Promise<EventSubscription | undefined>;
  /** The subscriptions of these TPPs, by client id (those with none are absent). */
  subscriptionsOf(clientIds: readonly string[]): Promise<Map<string, EventSubscription>>;
  /** Records a subscription; false when the TPP already has one. */
  insertSubscription(subscription: EventSubscription): Promise<boolean>;
  /** Changes the TPP's own subscription `id`; undefined when it has none of that id. */
  updateSubscription(clientId: string, id: string, request: SubscriptionRequest, now: Date): Promise<EventSubscription | undefined>;
  /** Deletes the TPP's own subscription `id`; false when it has none of that id. */
  deleteSubscription(clientId: string, id: string): Promise<boolean>;
  /** Records new notifications, each once per source event (a repeat is ignored); returns how many were new. */
  raise(notifications: readonly NewNotification[]): Promise<number>;
  /**
   * Closes the TPP's own waiting notifications among `acknowledged` (acknowledged) and `refused`
   * (refused, with the TPP's error); ids of others' notifications, or unknown ones, change nothing.
   */
  settle(clientId: string, acknowledged: readonly string[], refused: ReadonlyArray<{ readonly id: string; readonly error: string }>, now: Date): Promise<void>;
  /** The TPP's notifications still to be fetched (pending or dead), oldest first, at most `limit`, none past `now`'s retention. */
  waiting(clientId: string, limit: number, now: Date): Promise<Notification[]>;
  /** Deletes at most `limit` notifications finished before `before` or past retention at `now`; returns how many went. */
  deleteSpent(before: Date, now: Date, limit: number): Promise<number>;
  /**
   * Claims, until `leaseUntil`, at most `limit` notifications due for a push by `now` whose TPP still
   * has a callback URL, none of the TPPs in `skipClients`, and each the earliest pending push of its
   * resource (so a resource's notifications are pushed one at a time, in order). Claimed rows are
   * skipped by every other claim until their lease ends.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number, skipClients: readonly string[]): Promise<DueNotification[]>;
  /** Records pushes the TPP accepted. */
  recordDelivered(ids: readonly string[], now: Date): Promise<void>;
  /** Records failed pushes: each retried at its time, or moved to the dead-letter queue. */
  recordFailed(failures: readonly FailedPush[]): Promise<void>;
  /** Hands claimed notifications back without an attempt, due again at `dueAt` (or when they were). */
  release(ids: readonly string[], dueAt?: Date): Promise<void>;
  /** The dead-letter queue, oldest first: of one TPP when `clientId` is given. */
  deadLetters(limit: number, clientId?: string): Promise<DueNotification[]>;
  /** Moves dead notifications (those of `ids`, or all) back to the push queue, due at `now` and retried until `retryUntil`; returns how many. */
  replay(ids: readonly string[] | 'all', now: Date, retryUntil: Date): Promise<number>;
  /** The notifications waiting to be pushed or polled, those in the dead-letter queue, and the oldest waiting one's time. */
  queueDepth(): Promise<{ readonly pending: number; readonly dead: number; readonly oldestPending: Date | null }>;
}
