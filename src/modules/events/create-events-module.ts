import type { Db } from '../../platform/db/index.ts';
import type { ConsumerDeps } from '../../platform/events/index.ts';
import type { Subscription } from '../../platform/bus/index.ts';
import type { CallbackUrlRules } from './callback-url-rules.ts';
import type { EventSubscription, PollRequest, PollResult, SubscriptionRequest } from './events-model.ts';
import type { EventsRepository } from './events.repository.port.ts';
import { deadLetterQueueOver, type DeadLetterQueue } from './dead-letter-queue.ts';
import { DEFAULT_PUSH_SETTINGS, NotificationPusher, type NotificationSender, type PushObserver, type PushSettings } from './push-notifications.ts';
import type { Logger } from 'pino';
import { createKyselyEventsRepository } from './infra/kysely-events-repository.ts';
import { notifyTpps, type NotifiedResourceLookups } from './notify-tpps.ts';
import { pollNotifications } from './poll-notifications.ts';
import { changeSubscription, subscribe, unsubscribe } from './subscriptions.ts';

/** Event notifications to TPPs: subscriptions, the notifications raised for them, and polling. */
export interface EventsApi {
  /** The TPP subscribes (one subscription per TPP; a second is EVENTS.ALREADY_SUBSCRIBED). */
  subscribe(clientId: string, request: SubscriptionRequest, now?: Date): Promise<EventSubscription>;
  /** The TPP's subscriptions: none or one. */
  subscriptionsOf(clientId: string): Promise<EventSubscription[]>;
  /** The TPP changes its own subscription; any other id is EVENTS.SUBSCRIPTION_NOT_FOUND. */
  changeSubscription(clientId: string, id: string, request: SubscriptionRequest, now?: Date): Promise<EventSubscription>;
  /** The TPP deletes its own subscription; any other id is EVENTS.SUBSCRIPTION_NOT_FOUND. */
  unsubscribe(clientId: string, id: string): Promise<void>;
  /** Aggregated polling of the TPP's own notifications (`pollNotifications`). */
  poll(clientId: string, request: PollRequest, signal?: AbortSignal): Promise<PollResult>;
  /** Starts raising notifications from domain events (worker processes). */
  raiseFromEvents(deps: ConsumerDeps): Promise<Subscription>;
  /** Housekeeping: deletes notifications finished more than a day ago or past retention; returns how many went. */
  deleteSpent(now?: Date): Promise<number>;
  /** Starts pushing notifications to the TPPs' callback URLs through `sender` (worker processes). */
  startPushing(sender: NotificationSender, logger: Logger, observer?: PushObserver): { stop(): Promise<void> };
  /** The dead-letter queue, oldest first (of one TPP when given). */
  deadLetters: DeadLetterQueue['list'];
  /** Puts dead notifications (these, or all) back in the push queue, due now and retried for another window; returns how many. */
  replay: DeadLetterQueue['replay'];
  /** Notifications waiting (to be pushed or polled), dead-lettered, and the oldest waiting one's time. */
  queueDepth(): Promise<{ readonly pending: number; readonly dead: number; readonly oldestPending: Date | null }>;
}

export interface EventsSettings {
  /** How long a notification is kept for its TPP, delivered or not. */
  readonly retentionMs: number;
  /** The longest a long poll waits. */
  readonly longPollMs: number;
  /** How long a push is retried before the notification is dead-lettered. */
  readonly pushRetryMs: number;
  /** How pushes are made: concurrency, backoff, circuit breaking (defaults: `DEFAULT_PUSH_SETTINGS`). */
  readonly push?: Partial<PushSettings> | undefined;
}

export interface EventsModuleDeps {
  readonly db: Db;
  readonly callbackUrls: CallbackUrlRules;
  readonly lookups: NotifiedResourceLookups;
  readonly settings: EventsSettings;
}

/** Finished notifications are kept this long after (for the operator's look), then deleted. */
const FINISHED_KEPT_MS = 24 * 60 * 60 * 1000;
const DELETE_BATCH = 1000;

/** The events module over its repository (tests give one of their own). */
export function eventsApiOver(repository: EventsRepository, deps: Omit<EventsModuleDeps, 'db'>): EventsApi {
  const { settings } = deps;
  const subscriptionDeps = { repository, callbackUrls: deps.callbackUrls };
  const deadLetters = deadLetterQueueOver(repository, settings.pushRetryMs);
  // The pusher of this process, if it pushes: woken when this process raises notifications.
  let pusher: NotificationPusher | undefined;
  return {
    subscribe: (clientId, request, now = new Date()) => subscribe(subscriptionDeps, clientId, request, now),
    subscriptionsOf: async (clientId) => {
      const subscription = await repository.subscriptionOf(clientId);
      return subscription ? [subscription] : [];
    },
    changeSubscription: (clientId, id, request, now = new Date()) => changeSubscription(subscriptionDeps, clientId, id, request, now),
    unsubscribe: (clientId, id) => unsubscribe(subscriptionDeps, clientId, id),
    poll: (clientId, request, signal) => pollNotifications(repository, clientId, request, { longPollMs: settings.longPollMs, recheckMs: 250, signal, now: () => new Date() }),
    raiseFromEvents: (consumerDeps) =>
      notifyTpps(consumerDeps, { repository, lookups: deps.lookups, retentionMs: settings.retentionMs, pushRetryMs: settings.pushRetryMs, onRaised: () => pusher?.wake() }),
    deleteSpent: async (now = new Date()) => {
      let deleted = 0;
      for (;;) {
        const batch = await repository.deleteSpent(new Date(now.getTime() - FINISHED_KEPT_MS), now, DELETE_BATCH);
        deleted += batch;
        if (batch < DELETE_BATCH) return deleted;
      }
    },
    startPushing: (sender, logger, observer) => {
      const started = new NotificationPusher(repository, sender, logger, { ...DEFAULT_PUSH_SETTINGS, ...settings.push }, observer);
      pusher = started;
      started.start();
      return {
        stop: async () => {
          if (pusher === started) pusher = undefined;
          await started.stop();
        },
      };
    },
    deadLetters: deadLetters.list,
    replay: deadLetters.replay,
    queueDepth: () => repository.queueDepth(),
  };
}

/** The events module on the platform database. */
export function createEventsModule(deps: EventsModuleDeps): EventsApi {
  return eventsApiOver(createKyselyEventsRepository(deps.db), deps);
}
