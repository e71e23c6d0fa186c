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
}
