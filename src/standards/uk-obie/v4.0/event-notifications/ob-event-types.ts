import type { NotificationKind } from '../../../../modules/events/index.ts';

/**
 * A Portico extension beside OB's event types: a TPP's certificate at the sandbox directory expires
 * in 30, 7 or 1 days. OB defines no such event; `EventTypes` of a subscription is an open list of
 * strings (`events-openapi.json`, OBEventSubscription1), so a TPP asks for it by this URN, in
 * Portico's namespace, and only a TPP that names it receives it (docs/events.md).
 */
export const CERTIFICATE_EXPIRING_EVENT = 'urn:portico:events:certificate-expiring';

/**
 * The event notification URNs of the neutral notification kinds: OB's (Event Notification API
 * Specification, `OBEventNotification2.events`), and Portico's extension.
 */
export const OB_EVENT_TYPES: Readonly<Record<NotificationKind, string>> = {
  'resource-update': 'urn:uk:org:openbanking:events:resource-update',
  'consent-authorisation-revoked': 'urn:uk:org:openbanking:events:consent-authorization-revoked',
  'linked-account-update': 'urn:uk:org:openbanking:events:account-access-consent-linked-account-update',
  'certificate-expiring': CERTIFICATE_EXPIRING_EVENT,
};

const KIND_OF_URN: ReadonlyMap<string, NotificationKind> = new Map(Object.entries(OB_EVENT_TYPES).map(([kind, urn]) => [urn, kind as NotificationKind]));

/** The neutral kind an OB event URN names; undefined for a URN the bank does not raise. */
export function notificationKindOf(urn: string): NotificationKind | undefined {
  return KIND_OF_URN.get(urn);
}
