import type { NotificationKind } from '../../../../modules/events/index.ts';

/**
 * The OB event notification URNs (Event Notification API Specification, `OBEventNotification2.events`)
 * of the neutral notification kinds.
 */
export const OB_EVENT_TYPES: Readonly<Record<NotificationKind, string>> = {
  'resource-update': 'urn:uk:org:openbanking:events:resource-update',
  'consent-authorisation-revoked': 'urn:uk:org:openbanking:events:consent-authorization-revoked',
  'linked-account-update': 'urn:uk:org:openbanking:events:account-access-consent-linked-account-update',
};

const KIND_OF_URN: ReadonlyMap<string, NotificationKind> = new Map(Object.entries(OB_EVENT_TYPES).map(([kind, urn]) => [urn, kind as NotificationKind]));

/** The neutral kind an OB event URN names; undefined for a URN the bank does not raise. */
export function notificationKindOf(urn: string): NotificationKind | undefined {
  return KIND_OF_URN.get(urn);
}
