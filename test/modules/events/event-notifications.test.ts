import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eventsApiOver, EventsErrors, type EventsApi, type NotifiedResourceLookups, type SubscriptionRequest } from '../../../src/modules/events/index.ts';
import { createKyselyEventsRepository } from '../../../src/modules/events/infra/kysely-events-repository.ts';
import { raiseNotifications } from '../../../src/modules/events/notify-tpps.ts';
import type { EventsRepository } from '../../../src/modules/events/events.repository.port.ts';
import { ConsentStatusChangedV2, type ConsentKind } from '../../../src/modules/consents/index.ts';
import { PaymentStatusChangedV2, StandingOrderProgressedV2 } from '../../../src/modules/payments/index.ts';
import { CoreAccountChangedV1 } from '../../../src/core/index.ts';
import { CertificateExpiringV1, CertificateExpiringV2, type CertificateExpiringPayload } from '../../../src/modules/directory/index.ts';
import type { DomainEvent, EventDefinition, PayloadOf } from '../../../src/platform/events/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

const HOUR_MS = 3_600_000;
/** The accounts the core has closed or blocked, and the authorised account-access consents, as the test sets them. */
const closedAccounts = new Set<string>();
const accessConsents: Array<{ id: string; clientId: string; accountIds: string[] }> = [];
/** The registered clients of organisations, as the test sets them. */
const registeredClients: Array<{ clientId: string; organisationId: string; softwareId: string | null }> = [];
const POLL_ALL = { maxEvents: 50, returnImmediately: true, ack: [], errors: [] } as const;

/** Consent kinds and file payments the lookups answer with, as the test sets them. */
function lookupsOf(kinds: Map<string, ConsentKind>, files = new Map<string, string>()): NotifiedResourceLookups {
  return {
    consentKinds: async (ids) => new Map(ids.flatMap((id) => (kinds.has(id) ? [[id, kinds.get(id)!] as const] : []))),
    filePaymentsOf: async (ids) => new Map(ids.flatMap((id) => (files.has(id) ? [[id, files.get(id)!] as const] : []))),
    unavailableAccounts: async (ids) => new Set(ids.filter((id) => closedAccounts.has(id))),
    accessConsentsTo: async (ids) => accessConsents.filter((consent) => consent.accountIds.some((id) => ids.includes(id))),
    clientsOfOrganisations: async (ids) => registeredClients.filter((client) => ids.includes(client.organisationId)),
  };
}

function eventOf<D extends EventDefinition>(definition: D, aggregateId: string, clientId: string | null, payload: PayloadOf<D>): DomainEvent {
  return {
    id: randomUUID(),
    type: definition.type,
    version: definition.version,
    aggregate: { type: definition.aggregateType, id: aggregateId, version: 1 },
    occurredAt: '2026-12-05T10:00:00.000Z',
    tppClientId: clientId,
    correlationId: `interaction-of-${aggregateId}`,
    payload,
  };
}

function assertRefused(error: unknown, code: string): true {
  assert.ok(isAppError(error), String(error));
  assert.equal(error.code, code);
  return true;
}

const POLLING: SubscriptionRequest = { callbackUrl: null, kinds: null, version: '4.0' };

for (const dialect of DIALECTS) {
  describe(`event notifications (${dialect})`, () => {
    let database: TestDatabase;
    let repository: EventsRepository;
    let events: EventsApi;
    const registeredHosts = new Map<string, string[]>();
    const kinds = new Map<string, ConsentKind>();
    const files = new Map<string, string>();
    const raise = (batch: DomainEvent[], now = new Date()) => raiseNotifications({ repository, lookups: lookupsOf(kinds, files), retentionMs: 24 * HOUR_MS, pushRetryMs: 24 * HOUR_MS }, batch, now);

    before(async () => {
      database = await openTestDatabase(dialect);
      repository = createKyselyEventsRepository(database.db);
      events = eventsApiOver(repository, {
        callbackUrls: { allowlist: ['https://localhost:*'], registeredHostsOf: async (clientId) => registeredHosts.get(clientId) ?? [] },
        lookups: lookupsOf(kinds, files),
        settings: { retentionMs: 24 * HOUR_MS, longPollMs: 2000, pushRetryMs: 24 * HOUR_MS },
      });
    });
    after(() => database.close());

    describe('subscriptions', () => {
      it('a TPP holds one subscription: a second is refused as a conflict, and it reads, changes and deletes its own', async () => {
        const tpp = `tpp-${randomUUID()}`;
        registeredHosts.set(tpp, ['tpp.example']);
        const created = await events.subscribe(tpp, { callbackUrl: 'https://hooks.tpp.example/ob/v4.0', kinds: ['resource-update'], version: '4.0' });
        assert.equal(created.callbackUrl, 'https://hooks.tpp.example/ob/v4.0');
        await assert.rejects(events.subscribe(tpp, POLLING), (error) => assertRefused(error, EventsErrors.ALREADY_SUBSCRIBED.code));
        assert.deepEqual((await events.subscriptionsOf(tpp)).map((s) => s.id), [created.id]);
        const changed = await events.changeSubscription(tpp, created.id, POLLING);
        assert.equal(changed.callbackUrl, null);
        assert.equal(changed.kinds, null);
        await events.unsubscribe(tpp, created.id);
        assert.deepEqual(await events.subscriptionsOf(tpp), []);
      });

      it("BOLA: another TPP's subscription id is not found for changing or deleting, and stays as it was", async () => {
        const owner = `tpp-${randomUUID()}`;
        const attacker = `tpp-${randomUUID()}`;
        const subscription = await events.subscribe(owner, POLLING);
        await assert.rejects(events.changeSubscription(attacker, subscription.id, { ...POLLING, version: '3.1' }), (error) => assertRefused(error, EventsErrors.SUBSCRIPTION_NOT_FOUND.code));
        await assert.rejects(events.unsubscribe(attacker, subscription.id), (error) => assertRefused(error, EventsErrors.SUBSCRIPTION_NOT_FOUND.code));
        assert.deepEqual(await events.subscriptionsOf(attacker), []);
        assert.equal((await events.subscriptionsOf(owner))[0]?.version, '4.0');
      });

      it('SSRF: a callback URL that is not https, carries credentials, names a private or loopback address, or a host the TPP did not register is refused', async () => {
        const tpp = `tpp-${randomUUID()}`;
        registeredHosts.set(tpp, ['tpp.example']);
        for (const callbackUrl of [
          'http://hooks.tpp.example/cb',
          'https://user:pw@hooks.tpp.example/cb',
          'https://169.254.169.254/latest/meta-data',
          'https://10.0.0.8/cb',
          'https://[::1]:8443/cb',
          'https://127.0.0.1:8443/cb',
          'https://localhost.attacker.example/cb',
          'https://tpp.example.attacker.example/cb',
          'https://nottpp.example/cb',
          'not a url',
        ]) {
          await assert.rejects(events.subscribe(tpp, { ...POLLING, callbackUrl }), (error) => assertRefused(error, EventsErrors.CALLBACK_URL_REFUSED.code), callbackUrl);
        }
        assert.deepEqual(await events.subscriptionsOf(tpp), []);
      });

      it("the operator's allow-list admits its origins whatever the TPP registered (sandbox: https://localhost:*)", async () => {
        const tpp = `tpp-${randomUUID()}`;
        const subscription = await events.subscribe(tpp, { ...POLLING, callbackUrl: 'https://localhost:9443/events' });
        assert.equal(subscription.callbackUrl, 'https://localhost:9443/events');
        await assert.rejects(events.changeSubscription(tpp, subscription.id, { ...POLLING, callbackUrl: 'http://localhost:9443/events' }), (error) => assertRefused(error, EventsErrors.CALLBACK_URL_REFUSED.code));
      });
    });

    describe('raising notifications from domain events', () => {
      it('raises what the subscription asks for: resource updates of consents, payments and standing orders; a PSU revocation also as revoked', async () => {
        const tpp = `tpp-${randomUUID()}`;
        await events.subscribe(tpp, POLLING);
        const [consent, paymentConsent, soConsent, fileConsent] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
        kinds.set(consent, 'account-access').set(paymentConsent, 'international-payment').set(soConsent, 'domestic-standing-order').set(fileConsent, 'file-payment');
        const [payment, instalment, filePaymentItem] = [randomUUID(), randomUUID(), randomUUID()];
        files.set(filePaymentItem, 'file-payment-1');
        const batch = [
          eventOf(ConsentStatusChangedV2, consent, tpp, { consentId: consent, status: 'revoked', by: 'PSU' }),
          eventOf(PaymentStatusChangedV2, payment, tpp, { paymentId: payment, consentId: paymentConsent, status: 'settled' }),
          // A standing order's instalment is told through its standing order, not as a payment of its own.
          eventOf(PaymentStatusChangedV2, instalment, tpp, { paymentId: instalment, consentId: soConsent, status: 'settled' }),
          eventOf(StandingOrderProgressedV2, 'so-1', tpp, { standingOrderId: 'so-1', consentId: soConsent, status: 'set-up', nextInstalment: null }),
          eventOf(PaymentStatusChangedV2, filePaymentItem, tpp, { paymentId: filePaymentItem, consentId: fileConsent, status: 'pending' }),
        ];
        assert.equal(await raise(batch), 4);
        const { notifications, moreAvailable } = await events.poll(tpp, POLL_ALL);
        assert.equal(moreAvailable, false);
        assert.deepEqual(
          notifications.map((n) => ({ kinds: n.kinds, resource: n.resource, clientId: n.clientId, status: n.status })),
          [
            { kinds: ['resource-update', 'consent-authorisation-revoked'], resource: { type: 'consent', kind: 'account-access', id: consent }, clientId: tpp, status: 'pending' },
            { kinds: ['resource-update'], resource: { type: 'payment', kind: 'single', reach: 'international', id: payment }, clientId: tpp, status: 'pending' },
            { kinds: ['resource-update'], resource: { type: 'standing-order', reach: 'domestic', id: 'so-1' }, clientId: tpp, status: 'pending' },
            { kinds: ['resource-update'], resource: { type: 'payment', kind: 'file', reach: 'domestic', id: 'file-payment-1' }, clientId: tpp, status: 'pending' },
          ],
        );
        assert.equal(notifications[0]!.occurredAt.toISOString(), '2026-12-05T10:00:00.000Z');
        assert.equal(notifications[0]!.correlationId, `interaction-of-${consent}`, 'the interaction the change came from');
      });

      it("raises nothing for a TPP without a subscription, for the bank's own events, or for the TPP's own revocation as revoked; an event raised twice is one notification", async () => {
        const subscribed = `tpp-${randomUUID()}`;
        const unsubscribed = `tpp-${randomUUID()}`;
        await events.subscribe(subscribed, { ...POLLING, kinds: ['consent-authorisation-revoked'] });
        const consent = randomUUID();
        kinds.set(consent, 'account-access');
        const byTpp = eventOf(ConsentStatusChangedV2, consent, subscribed, { consentId: consent, status: 'revoked', by: 'TPP' });
        const byPsu = eventOf(ConsentStatusChangedV2, consent, subscribed, { consentId: consent, status: 'revoked', by: 'PSU' });
        assert.equal(await raise([byTpp, byPsu, eventOf(ConsentStatusChangedV2, consent, unsubscribed, { consentId: consent, status: 'authorised' }), eventOf(ConsentStatusChangedV2, consent, null, { consentId: consent, status: 'expired' })]), 1);
        assert.equal(await raise([byPsu]), 0);
        const { notifications } = await events.poll(subscribed, POLL_ALL);
        assert.deepEqual(notifications.map((n) => n.kinds), [['consent-authorisation-revoked']]);
        assert.deepEqual((await events.poll(unsubscribed, POLL_ALL)).notifications, []);
      });

      it("an account the core closed or blocked is a linked-account-update for each TPP whose authorised consent gives access to it, once per consent", async () => {
        const [tpp, other, bystander] = [`tpp-${randomUUID()}`, `tpp-${randomUUID()}`, `tpp-${randomUUID()}`];
        for (const client of [tpp, other, bystander]) await events.subscribe(client, POLLING);
        const [closed, open] = [randomUUID(), randomUUID()];
        closedAccounts.add(closed);
        const [mine, theirs, unrelated] = [randomUUID(), randomUUID(), randomUUID()];
        accessConsents.push({ id: mine, clientId: tpp, accountIds: [closed, open] }, { id: theirs, clientId: other, accountIds: [closed] }, { id: unrelated, clientId: bystander, accountIds: [open] });
        const change = eventOf(CoreAccountChangedV1, closed, null, { accountIds: [closed, open] });
        assert.equal(await raise([change, eventOf(CoreAccountChangedV1, open, null, { accountIds: [open] })]), 2);
        assert.equal(await raise([change]), 0, 'the same change delivered again raises nothing more');
        const told = async (client: string) => (await events.poll(client, POLL_ALL)).notifications.map((n) => ({ kinds: n.kinds, resource: n.resource }));
        assert.deepEqual(await told(tpp), [{ kinds: ['linked-account-update'], resource: { type: 'consent', kind: 'account-access', id: mine } }]);
        assert.deepEqual(await told(other), [{ kinds: ['linked-account-update'], resource: { type: 'consent', kind: 'account-access', id: theirs } }]);
        assert.deepEqual(await told(bystander), []);
      });

      describe('certificate expiry warnings', () => {
        const CERTIFICATE_EXPIRING = { ...POLLING, kinds: ['certificate-expiring'] } as const;
        const warning = (organisationId: string, softwareId: string | null, payload: Partial<CertificateExpiringPayload> = {}): CertificateExpiringPayload => ({
          serialNumber: randomUUID().replaceAll('-', ''),
          organisationId,
          softwareId,
          usage: 'signing',
          kid: 'kid-of-the-signing-key',
          notAfter: '2027-01-04T10:00:00.000Z',
          withinDays: 30,
          daysRemaining: 30,
          ...payload,
        });
        const told = async (client: string) => (await events.poll(client, POLL_ALL)).notifications.map((n) => ({ kinds: n.kinds, resource: n.resource }));

        it('goes to each client its organisation registered for the software, as a certificate-expiring of that certificate with its key, expiry and days left', async () => {
          const [organisation, otherOrganisation] = [`org-${randomUUID()}`, `org-${randomUUID()}`];
          const [app, sameSoftware, otherSoftware, otherTpp] = [`tpp-${randomUUID()}`, `tpp-${randomUUID()}`, `tpp-${randomUUID()}`, `tpp-${randomUUID()}`];
          registeredClients.push(
            { clientId: app, organisationId: organisation, softwareId: 'software-a' },
            { clientId: sameSoftware, organisationId: organisation, softwareId: 'software-a' },
            { clientId: otherSoftware, organisationId: organisation, softwareId: 'software-b' },
            { clientId: otherTpp, organisationId: otherOrganisation, softwareId: 'software-a' },
          );
          for (const client of [app, sameSoftware, otherSoftware, otherTpp]) await events.subscribe(client, CERTIFICATE_EXPIRING);
          const payload = warning(organisation, 'software-a');
          assert.equal(await raise([eventOf(CertificateExpiringV2, payload.serialNumber, null, payload)]), 2);
          const resource = { type: 'certificate', id: payload.serialNumber, organisationId: organisation, usage: 'signing', kid: 'kid-of-the-signing-key', notAfter: payload.notAfter, daysRemaining: 30 };
          assert.deepEqual(await told(app), [{ kinds: ['certificate-expiring'], resource }]);
          assert.deepEqual(await told(sameSoftware), [{ kinds: ['certificate-expiring'], resource }]);
          assert.deepEqual(await told(otherSoftware), [], "another software's clients do not hold the certificate");
          assert.deepEqual(await told(otherTpp), [], "another organisation's clients are never told, even of a software id like theirs");
        });

        it("a certificate of no software goes to every client of its organisation; a v1 warning (recorded before v2) is told without a key id, its days counted from when it was raised", async () => {
          const organisation = `org-${randomUUID()}`;
          const [first, second] = [`tpp-${randomUUID()}`, `tpp-${randomUUID()}`];
          registeredClients.push({ clientId: first, organisationId: organisation, softwareId: 'software-a' }, { clientId: second, organisationId: organisation, softwareId: null });
          for (const client of [first, second]) await events.subscribe(client, CERTIFICATE_EXPIRING);
          const v2 = warning(organisation, null, { usage: 'transport', kid: null, withinDays: 7, daysRemaining: 7 });
          const v1 = { serialNumber: 'abc123', organisationId: organisation, softwareId: 'software-a', usage: 'transport' as const, notAfter: '2026-12-06T09:00:00.000Z', daysLeft: 1 };
          assert.equal(await raise([eventOf(CertificateExpiringV2, v2.serialNumber, null, v2), eventOf(CertificateExpiringV1, v1.serialNumber, null, v1)]), 3);
          assert.deepEqual((await told(second)).map((n) => n.resource), [{ type: 'certificate', id: v2.serialNumber, organisationId: organisation, usage: 'transport', kid: null, notAfter: v2.notAfter, daysRemaining: 7 }]);
          assert.deepEqual((await told(first)).map((n) => n.resource), [
            { type: 'certificate', id: v2.serialNumber, organisationId: organisation, usage: 'transport', kid: null, notAfter: v2.notAfter, daysRemaining: 7 },
            // Raised 2026-12-05T10:00Z, expiring 23 hours later.
            { type: 'certificate', id: 'abc123', organisationId: organisation, usage: 'transport', kid: null, notAfter: v1.notAfter, daysRemaining: 1 },
          ]);
        });

        it('only a TPP that subscribed to certificate-expiring by name is told: not one subscribed to every kind, to other kinds, or not at all; a warning delivered again is one notification', async () => {
          const organisation = `org-${randomUUID()}`;
          const [named, everything, otherKinds, unsubscribed] = [`tpp-${randomUUID()}`, `tpp-${randomUUID()}`, `tpp-${randomUUID()}`, `tpp-${randomUUID()}`];
          for (const clientId of [named, everything, otherKinds, unsubscribed]) registeredClients.push({ clientId, organisationId: organisation, softwareId: 'software-a' });
          await events.subscribe(named, { ...POLLING, kinds: ['resource-update', 'certificate-expiring'] });
          await events.subscribe(everything, POLLING);
          await events.subscribe(otherKinds, { ...POLLING, kinds: ['resource-update', 'consent-authorisation-revoked', 'linked-account-update'] });
          const payload = warning(organisation, 'software-a');
          const event = eventOf(CertificateExpiringV2, payload.serialNumber, null, payload);
          assert.equal(await raise([event]), 1);
          assert.equal(await raise([event]), 0, 'the same warning delivered again raises nothing more');
          assert.deepEqual((await told(named)).map((n) => n.kinds), [['certificate-expiring']]);
          for (const client of [everything, otherKinds, unsubscribed]) assert.deepEqual(await told(client), [], client);
        });
      });

      it('a notification is pushed when its TPP had a callback URL, and only polled otherwise', async () => {
        const pushed = `tpp-${randomUUID()}`;
        await events.subscribe(pushed, { ...POLLING, callbackUrl: 'https://localhost:9443/cb' });
        const consent = randomUUID();
        kinds.set(consent, 'domestic-vrp');
        await raise([eventOf(ConsentStatusChangedV2, consent, pushed, { consentId: consent, status: 'authorised' })]);
        const row = await database.db.selectFrom('event_notifications').select(['next_attempt_at']).where('client_id', '=', pushed).executeTakeFirstOrThrow();
        assert.ok(row.next_attempt_at instanceof Date);
      });
    });

    describe('aggregated polling', () => {
      async function tppWith(count: number): Promise<{ tpp: string; consent: string }> {
        const tpp = `tpp-${randomUUID()}`;
        await events.subscribe(tpp, POLLING);
        const consent = randomUUID();
        kinds.set(consent, 'account-access');
        await raise(Array.from({ length: count }, () => eventOf(ConsentStatusChangedV2, consent, tpp, { consentId: consent, status: 'authorised' })));
        return { tpp, consent };
      }

      it('answers at most maxEvents, oldest first, says whether more wait, and answers them again until acknowledged', async () => {
        const { tpp } = await tppWith(3);
        const first = await events.poll(tpp, { ...POLL_ALL, maxEvents: 2 });
        assert.equal(first.notifications.length, 2);
        assert.equal(first.moreAvailable, true);
        const again = await events.poll(tpp, { ...POLL_ALL, maxEvents: 2 });
        assert.deepEqual(again.notifications.map((n) => n.id), first.notifications.map((n) => n.id));
        const rest = await events.poll(tpp, { ...POLL_ALL, ack: first.notifications.map((n) => n.id) });
        assert.equal(rest.notifications.length, 1);
        assert.equal(rest.moreAvailable, false);
        assert.ok(!first.notifications.some((n) => n.id === rest.notifications[0]!.id));
      });

      it('maxEvents 0 only acknowledges; an error acknowledgement (setErrs) closes the notification too', async () => {
        const { tpp } = await tppWith(2);
        const [a, b] = (await events.poll(tpp, POLL_ALL)).notifications;
        const none = await events.poll(tpp, { maxEvents: 0, returnImmediately: true, ack: [a!.id], errors: [{ id: b!.id, error: 'jwtParse', description: 'could not parse' }] });
        assert.deepEqual(none, { notifications: [], moreAvailable: false });
        assert.deepEqual((await events.poll(tpp, POLL_ALL)).notifications, []);
        const refused = await database.db.selectFrom('event_notifications').select(['status', 'last_error']).where('id', '=', b!.id).executeTakeFirstOrThrow();
        assert.deepEqual(refused, { status: 'refused', last_error: 'jwtParse: could not parse' });
      });

      it("BOLA: a TPP's acknowledgements of another TPP's notifications change nothing, and it never polls them", async () => {
        const victim = await tppWith(1);
        const attacker = await tppWith(0);
        const [theirs] = (await events.poll(victim.tpp, POLL_ALL)).notifications;
        const polled = await events.poll(attacker.tpp, { ...POLL_ALL, ack: [theirs!.id], errors: [{ id: theirs!.id, error: 'x', description: 'y' }] });
        assert.deepEqual(polled.notifications, []);
        assert.deepEqual((await events.poll(victim.tpp, POLL_ALL)).notifications.map((n) => n.id), [theirs!.id]);
      });

      it('a long poll waits for a notification to be raised and answers with it', async () => {
        const { tpp, consent } = await tppWith(0);
        const started = Date.now();
        const polling = events.poll(tpp, { ...POLL_ALL, returnImmediately: false });
        setTimeout(() => void raise([eventOf(ConsentStatusChangedV2, consent, tpp, { consentId: consent, status: 'revoked', by: 'PSU' })]), 300);
        const { notifications } = await polling;
        assert.equal(notifications.length, 1);
        assert.ok(Date.now() - started >= 250, 'answered only once the notification was there');
      });

      it('a long poll with nothing to wait for answers empty once its bound is reached', async () => {
        const { tpp } = await tppWith(0);
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 200);
        assert.deepEqual(await events.poll(tpp, { ...POLL_ALL, returnImmediately: false }, controller.signal), { notifications: [], moreAvailable: false });
      });

      it('housekeeping keeps waiting notifications until retention and finished ones a day, then deletes them', async () => {
        const { tpp } = await tppWith(2);
        const [first] = (await events.poll(tpp, POLL_ALL)).notifications;
        await events.poll(tpp, { ...POLL_ALL, maxEvents: 0, ack: [first!.id] });
        const countOf = async () => (await database.db.selectFrom('event_notifications').select('id').where('client_id', '=', tpp).execute()).length;
        await events.deleteSpent(new Date(Date.now() + 2 * HOUR_MS));
        assert.equal(await countOf(), 2);
        await events.deleteSpent(new Date(Date.now() + 24 * HOUR_MS + 60_000));
        assert.equal(await countOf(), 0);
      });
    });
  });
}
