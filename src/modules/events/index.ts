/**
 * Event notifications to TPPs (docs/events.md): a TPP's subscription, the notifications raised for
 * it from domain events, aggregated polling of them, and their push to the TPP's callback URL.
 */
export { createEventsModule, eventsApiOver } from './create-events-module.ts';
export type { EventsApi, EventsModuleDeps, EventsSettings } from './create-events-module.ts';
export type { CallbackUrlRules } from './callback-url-rules.ts';
export type { NotifiedResourceLookups } from './notify-tpps.ts';
export { NOTIFY_TPPS_CONSUMER } from './notify-tpps.ts';
export { NOTIFICATION_KINDS } from './events-model.ts';
export type { EventSubscription, Notification, NotificationKind, NotificationStatus, NotifiedResource, PollRequest, PollResult, SubscriptionRequest } from './events-model.ts';
export { EventsErrors } from './events.errors.ts';
export type { EventsTables } from './infra/events.tables.ts';
export { DEFAULT_PUSH_SETTINGS, retryDelayMs } from './push-notifications.ts';
export type { NotificationSender, PushObserver, PushOutcome, PushSettings } from './push-notifications.ts';
export type { DueNotification } from './events.repository.port.ts';
export { createDeadLetterQueue } from './dead-letter-queue.ts';
export type { DeadLetter, DeadLetterQueue } from './dead-letter-queue.ts';
