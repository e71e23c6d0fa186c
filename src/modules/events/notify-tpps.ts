import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { consumeEvents, isEventOf, type ConsumerDeps, type DomainEvent, type PayloadOf } from '../../platform/events/index.ts';
import type { Subscription } from '../../platform/bus/index.ts';
import { ConsentStatusChangedV2, type ConsentKind } from '../consents/index.ts';
import { PaymentStatusChangedV2, StandingOrderProgressedV2 } from '../payments/index.ts';
import { CertificateExpiringV1, CertificateExpiringV2, daysToExpiry } from '../directory/index.ts';
import { CoreAccountChangedV1 } from '../../core/index.ts';
import { DEFAULT_NOTIFICATION_KINDS, type EventSubscription, type NotificationKind, type NotifiedResource } from './events-model.ts';
import type { EventsRepository, NewNotification } from './events.repository.port.ts';

/** What raising notifications needs to know of the resources the events are about. */
export interface NotifiedResourceLookups {
  /** The kinds of these consents, by id. */
  consentKinds(ids: readonly string[]): Promise<Map<string, ConsentKind>>;
  /** The file payment each of these payments belongs to, for those that are payments of a file. */
  filePaymentsOf(paymentIds: readonly string[]): Promise<Map<string, string>>;
  /** The accounts among these the core has closed or blocked (others are absent). */
  unavailableAccounts(accountIds: readonly string[]): Promise<Set<string>>;
  /** The authorised account-access consents giving access to any of these accounts. */
  accessConsentsTo(accountIds: readonly string[]): Promise<Array<{ readonly id: string; readonly clientId: string; readonly accountIds: readonly string[] }>>;
  /** The registered clients of these organisations, each with the software it was registered for. */
  clientsOfOrganisations(organisationIds: readonly string[]): Promise<Array<{ readonly clientId: string; readonly organisationId: string; readonly softwareId: string | null }>>;
}

export interface NotifyTppsOptions {
  readonly repository: EventsRepository;
  readonly lookups: NotifiedResourceLookups;
  /** How long a notification is kept for its TPP, delivered or not. */
  readonly retentionMs: number;
  /** How long its push is retried. */
  readonly pushRetryMs: number;
  /** Told when notifications were raised (a waiting poll or the delivery worker may look now). */
  readonly onRaised?: ((count: number) => void) | undefined;
}

/** The consumer's durable name. */
export const NOTIFY_TPPS_CONSUMER = 'events-notify-tpps';

const CONSUMED = [ConsentStatusChangedV2, PaymentStatusChangedV2, StandingOrderProgressedV2, CoreAccountChangedV1, CertificateExpiringV2, CertificateExpiringV1];

/** One event's notification before the TPP's subscription filters it. */
interface Candidate {
  readonly event: DomainEvent;
  /** What makes it one notification: the event, and the consent when one event tells several. */
  readonly source: string;
  readonly clientId: string;
  readonly kinds: readonly NotificationKind[];
  readonly resource: NotifiedResource;
}

/** The payment order a payment of a consent of this kind is, as its TPP knows it; undefined for a standing order's instalment (its standing order is notified). */
function paymentResource(consentKind: ConsentKind, paymentId: string, filePaymentId: string | undefined): NotifiedResource | undefined {
  switch (consentKind) {
    case 'domestic-payment':
      return { type: 'payment', kind: 'single', reach: 'domestic', id: paymentId };
    case 'domestic-scheduled-payment':
      return { type: 'payment', kind: 'scheduled', reach: 'domestic', id: paymentId };
    case 'international-payment':
      return { type: 'payment', kind: 'single', reach: 'international', id: paymentId };
    case 'international-scheduled-payment':
      return { type: 'payment', kind: 'scheduled', reach: 'international', id: paymentId };
    case 'domestic-vrp':
      return { type: 'payment', kind: 'recurring', reach: 'domestic', id: paymentId };
    case 'file-payment':
      return filePaymentId === undefined ? undefined : { type: 'payment', kind: 'file', reach: 'domestic', id: filePaymentId };
    default:
      return undefined;
  }
}

function consentIdOf(event: DomainEvent): string {
  return (event.payload as { consentId: string }).consentId;
}

/** The notifications the events stand for, before subscriptions filter them. */
async function candidatesOf(events: readonly DomainEvent[], lookups: NotifiedResourceLookups): Promise<Candidate[]> {
  // Events of the TPP's consents, payments and standing orders name it; the others are mapped below.
  const concerned = events.filter((event) => event.tppClientId !== null && event.type !== CoreAccountChangedV1.type && event.type !== CertificateExpiringV2.type);
  const paymentIds = concerned.filter((event) => event.type === PaymentStatusChangedV2.type).map((event) => (event.payload as PayloadOf<typeof PaymentStatusChangedV2>).paymentId);
  const [kinds, files] = await Promise.all([lookups.consentKinds([...new Set(concerned.map(consentIdOf))]), paymentIds.length > 0 ? lookups.filePaymentsOf(paymentIds) : new Map<string, string>()]);
  const candidates: Candidate[] = [];
  for (const event of concerned) {
    const consentKind = kinds.get(consentIdOf(event));
    if (!consentKind) continue;
    const clientId = event.tppClientId!;
    if (event.type === ConsentStatusChangedV2.type) {
      const { consentId, status, by } = event.payload as PayloadOf<typeof ConsentStatusChangedV2>;
      // The TPP's own withdrawal needs no telling; the PSU's (or the bank's) does.
      const revoked = status === 'revoked' && by !== 'TPP';
      candidates.push({ event, source: event.id, clientId, kinds: revoked ? ['resource-update', 'consent-authorisation-revoked'] : ['resource-update'], resource: { type: 'consent', kind: consentKind, id: consentId } });
    } else if (event.type === PaymentStatusChangedV2.type) {
      const { paymentId } = event.payload as PayloadOf<typeof PaymentStatusChangedV2>;
      const resource = paymentResource(consentKind, paymentId, files.get(paymentId));
      if (resource) candidates.push({ event, source: event.id, clientId, kinds: ['resource-update'], resource });
    } else {
      const { standingOrderId } = event.payload as PayloadOf<typeof StandingOrderProgressedV2>;
      const reach = consentKind === 'international-standing-order' ? 'international' : 'domestic';
      candidates.push({ event, source: event.id, clientId, kinds: ['resource-update'], resource: { type: 'standing-order', reach, id: standingOrderId } });
    }
  }
  return [...candidates, ...(await linkedAccountCandidates(events, lookups)), ...(await certificateCandidates(events, lookups))];
}

/** A certificate an expiry warning is about, and the software it was issued for (null: none). */
type WarnedCertificate = Extract<NotifiedResource, { type: 'certificate' }> & { readonly softwareId: string | null };

/** A warning's certificate, as its TPP is told of it; a v1 warning (no key id) counts its days from when it was raised. */
function warnedCertificate(event: DomainEvent): WarnedCertificate {
  if (isEventOf(CertificateExpiringV1, event)) {
    const { serialNumber, organisationId, softwareId, usage, notAfter } = event.payload;
    return { type: 'certificate', id: serialNumber, organisationId, softwareId, usage, kid: null, notAfter, daysRemaining: daysToExpiry(new Date(notAfter), new Date(event.occurredAt)) };
  }
  const { serialNumber, organisationId, softwareId, usage, kid, notAfter, daysRemaining } = event.payload as PayloadOf<typeof CertificateExpiringV2>;
  return { type: 'certificate', id: serialNumber, organisationId, softwareId, usage, kid, notAfter, daysRemaining };
}

/**
 * A certificate expires soon: a `certificate-expiring` for each client its organisation registered
 * for the certificate's software (every client of the organisation for a certificate of none),
 * never a client of another organisation, whatever the event says of TPPs (it names none).
 */
async function certificateCandidates(events: readonly DomainEvent[], lookups: NotifiedResourceLookups): Promise<Candidate[]> {
  const warnings = events.filter((event) => isEventOf(CertificateExpiringV2, event) || isEventOf(CertificateExpiringV1, event)).map((event) => ({ event, certificate: warnedCertificate(event) }));
  if (warnings.length === 0) return [];
  const clients = await lookups.clientsOfOrganisations([...new Set(warnings.map(({ certificate }) => certificate.organisationId))]);
  const candidates: Candidate[] = [];
  for (const { event, certificate } of warnings) {
    const { softwareId, ...resource } = certificate;
    const holders = clients.filter((client) => client.organisationId === certificate.organisationId && (softwareId === null || client.softwareId === softwareId));
    for (const client of holders) {
      candidates.push({ event, source: `${event.id}/${client.clientId}`, clientId: client.clientId, kinds: ['certificate-expiring'], resource });
    }
  }
  return candidates;
}

/**
 * The core closed or blocked accounts: each authorised account-access consent giving access to one
 * of them is a `linked-account-update` for its TPP (the account left the consent's reach).
 */
async function linkedAccountCandidates(events: readonly DomainEvent[], lookups: NotifiedResourceLookups): Promise<Candidate[]> {
  const changes = events.filter((event) => event.type === CoreAccountChangedV1.type);
  if (changes.length === 0) return [];
  const changed = [...new Set(changes.flatMap((event) => (event.payload as PayloadOf<typeof CoreAccountChangedV1>).accountIds))];
  const unavailable = await lookups.unavailableAccounts(changed);
  if (unavailable.size === 0) return [];
  const consents = await lookups.accessConsentsTo([...unavailable]);
  const candidates: Candidate[] = [];
  for (const event of changes) {
    const accountIds = (event.payload as PayloadOf<typeof CoreAccountChangedV1>).accountIds.filter((id) => unavailable.has(id));
    if (accountIds.length === 0) continue;
    for (const consent of consents.filter((c) => c.accountIds.some((id) => accountIds.includes(id)))) {
      candidates.push({ event, source: `${event.id}/${consent.id}`, clientId: consent.clientId, kinds: ['linked-account-update'], resource: { type: 'consent', kind: 'account-access', id: consent.id } });
    }
  }
  return candidates;
}

/** The kinds of the candidate its TPP's subscription asks for (none without a subscription). */
function subscribedKinds(candidate: Candidate, subscription: EventSubscription | undefined): NotificationKind[] {
  if (!subscription) return [];
  const wanted = subscription.kinds ?? DEFAULT_NOTIFICATION_KINDS;
  return candidate.kinds.filter((kind) => wanted.includes(kind));
}

/** Turns a batch of domain events into the notifications their TPPs subscribed to, and records them once each. */
export async function raiseNotifications(options: NotifyTppsOptions, events: readonly DomainEvent[], now: Date): Promise<number> {
  const candidates = await candidatesOf(events, options.lookups);
  if (candidates.length === 0) return 0;
  const subscriptions = await options.repository.subscriptionsOf(candidates.map((candidate) => candidate.clientId));
  const notifications: NewNotification[] = [];
  for (const candidate of candidates) {
    const subscription = subscriptions.get(candidate.clientId);
    const kinds = subscribedKinds(candidate, subscription);
    if (kinds.length === 0) continue;
    notifications.push({
      id: randomUUID(),
      clientId: candidate.clientId,
      sourceEventId: candidate.source,
      kinds,
      resource: candidate.resource,
      correlationId: candidate.event.correlationId,
      occurredAt: new Date(candidate.event.occurredAt),
      expiresAt: new Date(now.getTime() + options.retentionMs),
      pushAt: subscription?.callbackUrl ? now : null,
      retryUntil: new Date(now.getTime() + options.pushRetryMs),
    });
  }
  const raised = await options.repository.raise(notifications);
  if (raised > 0) options.onRaised?.(raised);
  return raised;
}

/**
 * Raises TPP notifications from the domain events of consents, payments, standing orders, the
 * core's accounts and the directory's certificate expiry warnings (docs/events.md): a standalone consumer, idempotent because a notification is recorded once per
 * source event, handed the events waiting for it together so that a batch costs a few statements.
 */
export function notifyTpps(deps: ConsumerDeps & { readonly logger: Logger }, options: NotifyTppsOptions): Promise<Subscription> {
  return consumeEvents(deps, {
    name: NOTIFY_TPPS_CONSUMER,
    events: CONSUMED,
    transactional: false,
    apply: async (events) => {
      await raiseNotifications(options, events, new Date());
    },
  });
}
