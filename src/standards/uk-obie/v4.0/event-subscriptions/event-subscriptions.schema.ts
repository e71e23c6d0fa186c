import { AppError } from '../../../../platform/errors/index.ts';
import { EventsErrors, type EventSubscription, type NotificationKind, type SubscriptionRequest } from '../../../../modules/events/index.ts';
import type { components } from '../_generated/events.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { notificationKindOf, OB_EVENT_TYPES } from '../event-notifications/ob-event-types.ts';

export type ObEventSubscription1 = components['schemas']['OBEventSubscription1'];
export type ObEventSubscriptionResponse1 = components['schemas']['OBEventSubscriptionResponse1'];

/** `POST /event-subscriptions` body: the official OBEventSubscription1. */
export const createEventSubscriptionBody = obRequestSchema('events', 'OBEventSubscription1');
/** `PUT /event-subscriptions/{EventSubscriptionId}` body: the official OBEventSubscriptionResponse1. */
export const changeEventSubscriptionBody = obRequestSchema('events', 'OBEventSubscriptionResponse1');

/** OB v4.0 `components.parameters.EventSubscriptionId` (at most 40 characters, as the resource's id is). */
export const eventSubscriptionIdParams = {
  type: 'object',
  required: ['EventSubscriptionId'],
  properties: { EventSubscriptionId: { type: 'string', minLength: 1, maxLength: 40 } },
} as const;

export interface EventSubscriptionIdParams {
  readonly EventSubscriptionId: string;
}

/** The event notification versions this facade raises: the v4.0 SETs. */
const SUPPORTED_VERSIONS = ['4.0'];

/** The subscription a TPP asks for, in the module's terms; an unserved version or event type is refused. */
export function subscriptionRequestOf(data: ObEventSubscription1['Data']): SubscriptionRequest {
  if (!SUPPORTED_VERSIONS.includes(data.Version)) {
    throw new AppError(EventsErrors.VERSION_UNSUPPORTED, { message: `Version must be one of ${SUPPORTED_VERSIONS.join(', ')}`, details: [{ path: 'Data.Version' }] });
  }
  let kinds: NotificationKind[] | null = null;
  if (data.EventTypes !== undefined) {
    kinds = [];
    for (const [index, urn] of data.EventTypes.entries()) {
      const kind = notificationKindOf(urn);
      if (!kind) throw new AppError(EventsErrors.EVENT_TYPE_UNSUPPORTED, { message: `Unsupported event type ${urn}; the bank raises ${Object.values(OB_EVENT_TYPES).join(', ')}`, details: [{ path: `Data.EventTypes[${index}]` }] });
      if (!kinds.includes(kind)) kinds.push(kind);
    }
  }
  return { callbackUrl: data.CallbackUrl ?? null, kinds, version: data.Version };
}

/** A subscription's Data, as OBEventSubscriptionResponse1 and OBEventSubscriptionsResponse1 state it. */
export function obEventSubscriptionData(subscription: EventSubscription) {
  return {
    EventSubscriptionId: subscription.id,
    ...(subscription.callbackUrl !== null ? { CallbackUrl: subscription.callbackUrl } : {}),
    Version: subscription.version,
    ...(subscription.kinds !== null ? { EventTypes: subscription.kinds.map((kind) => OB_EVENT_TYPES[kind]) } : {}),
  };
}
