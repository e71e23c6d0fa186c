import { signCompactJws, type JwsSigningKeys } from '../../../../platform/keystore/index.ts';
import type { Notification } from '../../../../modules/events/index.ts';
import { OB_EVENT_TYPES } from './ob-event-types.ts';
import { obEventResource } from './ob-event-resources.ts';

/** The SET's JWS `typ` (RFC 8417 §2.3: explicit typing of security event tokens). */
export const SET_TYPE = 'secevent+jwt';

/** The claims of an OB event notification (`OBEventNotification2`, a SET per RFC 8417). */
export interface ObEventNotificationClaims {
  readonly iss: string;
  readonly iat: number;
  readonly jti: string;
  readonly aud: string;
  readonly sub: string;
  readonly txn: string;
  readonly toe: number;
  readonly events: Record<string, Record<string, unknown>>;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** What a `certificate-expiring` event says beside its subject (Portico's extension, docs/events.md). */
function certificateWarning(resource: Notification['resource']): Record<string, unknown> {
  if (resource.type !== 'certificate') return {};
  return {
    serialNumber: resource.id,
    ...(resource.kid !== null ? { kid: resource.kid } : {}),
    usage: resource.usage,
    notAfter: resource.notAfter,
    daysRemaining: resource.daysRemaining,
  };
}

/**
 * A notification as the OB Event Notification API states it: `iss` the bank, `aud` the TPP's
 * client id, `sub` the resource's URL, `jti` the notification's stable id, `txn` the interaction id
 * of the call that caused the change (the notification's id where no call did, as for a certificate
 * expiry warning), `toe` when it happened, and one event per kind under its URN. Every event carries
 * the resource as its `subject` (OBEventSubject1), except that `consent-authorization-revoked` is
 * left empty beside a `resource-update` that names it (the specification's example); a
 * `certificate-expiring` also carries the certificate's serial number, `kid` (a signing
 * certificate's), usage, `notAfter` and `daysRemaining`.
 */
export function obEventNotificationClaims(notification: Notification, context: { readonly issuer: string; readonly publicUrl: string; readonly now: Date }): ObEventNotificationClaims {
  const resource = obEventResource(notification.resource, context.publicUrl);
  const subject = {
    subject_type: 'http://openbanking.org.uk/rid_http://openbanking.org.uk/rty',
    'http://openbanking.org.uk/rid': notification.resource.id,
    'http://openbanking.org.uk/rty': resource.type,
    'http://openbanking.org.uk/rlk': [{ version: resource.version, link: resource.url }],
  };
  const withUpdate = notification.kinds.includes('resource-update');
  const events: Record<string, Record<string, unknown>> = {};
  for (const kind of notification.kinds) {
    if (kind === 'consent-authorisation-revoked' && withUpdate) events[OB_EVENT_TYPES[kind]] = {};
    else if (kind === 'certificate-expiring') events[OB_EVENT_TYPES[kind]] = { subject, ...certificateWarning(notification.resource) };
    else events[OB_EVENT_TYPES[kind]] = { subject };
  }
  return {
    iss: context.issuer,
    iat: seconds(context.now),
    jti: notification.id,
    aud: notification.clientId,
    sub: resource.url,
    txn: notification.correlationId ?? notification.id,
    toe: seconds(notification.occurredAt),
    events,
  };
}

/** Signs SETs with the bank's key, one its `jwks_uri` publishes. */
export interface SetSigner {
  readonly kid: string;
  readonly alg: string;
  sign(claims: ObEventNotificationClaims): Promise<string>;
}

/**
 * A SET signer over the bank's signing keys (src/auth `SigningKeyRing`): the key of `alg` that
 * signs now (ES256 by default: FAPI 1.0 Adv §8.6 allows it beside PS256, and a notification
 * platform signs thousands a second), so TPPs verify notifications with the keys at the bank's
 * `jwks_uri`, and a rotated key is used as soon as it activates.
 */
export function createSetSigner(options: { readonly keys: JwsSigningKeys; readonly alg?: 'ES256' | 'PS256' }): SetSigner {
  const alg = options.alg ?? 'ES256';
  // Fails at start, not at the first notification, when the keys have no key of this algorithm.
  options.keys.signingKid(alg);
  return {
    get kid() {
      return options.keys.signingKid(alg);
    },
    alg,
    sign: (claims) => signCompactJws(options.keys, alg, { typ: SET_TYPE }, Buffer.from(JSON.stringify(claims), 'utf8')),
  };
}
