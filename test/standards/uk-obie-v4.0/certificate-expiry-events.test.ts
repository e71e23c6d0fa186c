import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { x509 } from '../../../src/platform/tls/index.ts';
import { createDatabase } from '../../../src/platform/db/index.ts';
import { NOTIFY_TPPS_CONSUMER } from '../../../src/modules/events/index.ts';
import { DIALECTS } from '../../support/backends.ts';
import { directoryOf } from '../../support/directory-module.ts';
import { assertMatchesSchema, assertObResponse, obSchema } from '../../support/openapi.ts';
import { startPisFixture, tppSignature, type PisFixture } from '../../support/pis-access.ts';
import { SetReceiver } from '../../support/set-receiver.ts';
import { TppClient } from '../../support/tpp-client.ts';
import { waitFor } from '../../support/wait-for.ts';

const BASE = '/open-banking/v4.0';
const CERTIFICATE_EXPIRING = 'urn:portico:events:certificate-expiring';
const RESOURCE_UPDATE = 'urn:uk:org:openbanking:events:resource-update';
const DAY = 86_400_000;

interface PollResponse {
  moreAvailable: boolean;
  sets: Record<string, string>;
}

/** What a certificate-expiring event says. */
interface CertificateWarning {
  subject: Record<string, unknown>;
  serialNumber: string;
  kid?: string;
  usage: 'transport' | 'signing';
  notAfter: string;
  daysRemaining: number;
}

const warningOf = (claims: JWTPayload) => (claims['events'] as Record<string, CertificateWarning>)[CERTIFICATE_EXPIRING]!;

/**
 * Portico's certificate expiry warnings (`urn:portico:events:certificate-expiring`) through the OB
 * v4.0 event notification channels: pushed to a TPP's callback URL and answered to its polls as SETs
 * signed by the bank, 30, 7 and 1 days before each of its certificates expires, to the TPPs that
 * asked for them by name and only about their own certificates.
 */
for (const dialect of DIALECTS) {
  describe(`certificate expiry warnings as event notifications, pushed and polled (${dialect})`, () => {
    let fixture: PisFixture;
    let receiver: SetReceiver;
    let pushed: TppClient;
    let polling: TppClient;
    let everything: TppClient;

    before(async () => {
      receiver = await SetReceiver.create();
      fixture = await startPisFixture(dialect, { tpp: 'Expiring Push Ltd', other: 'Expiring Poll Ltd' }, { EVENTS_PUSH_CA_FILE: receiver.caFile, EVENTS_LONG_POLL_SECONDS: '1' });
      ({ tpp: pushed, other: polling } = fixture);
      everything = await TppClient.onboard(fixture.app, 'Subscribed To OB Events Ltd');
      await everything.register();
      await receiver.start({ bankCaPem: fixture.app.portico.tls.sandboxCa!.certificatePem, bankJwks: fixture.bankJwks, audience: pushed.clientId });
      await subscribe(pushed, { CallbackUrl: receiver.callbackUrl, Version: '4.0', EventTypes: [RESOURCE_UPDATE, CERTIFICATE_EXPIRING] });
      await subscribe(polling, { Version: '4.0', EventTypes: [CERTIFICATE_EXPIRING] });
      // No EventTypes: every OB event type, which a Portico extension is not.
      await subscribe(everything, { Version: '4.0' });
    });
    after(async () => {
      await fixture?.app.close();
      await receiver?.stop();
    });

    async function call(client: TppClient, method: string, path: string, body?: unknown) {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const response = await client.mtls(`${BASE}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await client.clientCredentialsToken('accounts')}`,
          'x-fapi-interaction-id': randomUUID(),
          ...(text === undefined ? {} : { 'content-type': 'application/json' }),
          ...(text !== undefined && path.startsWith('/event-subscriptions') ? { 'x-jws-signature': await tppSignature(client, text) } : {}),
        },
        ...(text === undefined ? {} : { body: text }),
      });
      assertObResponse('events', method, `${BASE}${path}`, response);
      return response;
    }

    async function subscribe(client: TppClient, data: Record<string, unknown>): Promise<void> {
      const response = await call(client, 'POST', '/event-subscriptions', { Data: data });
      assert.equal(response.status, 201, response.text);
      assert.deepEqual(response.json<{ Data: { EventTypes?: string[] } }>().Data.EventTypes, data['EventTypes'], 'the Portico event type is echoed as subscribed');
    }

    const certificatesOf = (client: TppClient) => [client.tpp.transport, client.tpp.signing].map((pem) => new x509.X509Certificate(pem.certificatePem));
    const serialsOf = (client: TppClient) => certificatesOf(client).map((certificate) => certificate.serialNumber.toLowerCase());
    const certificateUrl = (client: TppClient, serial: string) => new URL(`/directory/v1/organisations/${client.tpp.organisationId}/certificates/${serial}`, fixture.app.portico.config.http.publicUrl).toString();

    /** The expiry warnings recorded for these certificates (the directory's events in the outbox). */
    const warningEvents = (serials: readonly string[]) =>
      fixture.app.portico.database.db.selectFrom('outbox_events').select(['id']).where('aggregate_type', '=', 'tpp-certificate').where('aggregate_id', 'in', serials).execute();

    /** Every recorded warning has been turned into notifications (the consumer's inbox has them all). */
    async function allWarningsHandled(): Promise<boolean> {
      const ids = (await fixture.app.portico.database.db.selectFrom('outbox_events').select('id').where('aggregate_type', '=', 'tpp-certificate').execute()).map((row) => row.id);
      if (ids.length === 0) return false;
      const handled = await fixture.app.portico.database.db.selectFrom('processed_events').select('event_id').where('consumer', '=', NOTIFY_TPPS_CONSUMER).where('event_id', 'in', ids).execute();
      return handled.length === ids.length;
    }

    async function verified(token: string, audience: string): Promise<JWTPayload> {
      assert.equal(decodeProtectedHeader(token).typ, 'secevent+jwt');
      const { payload } = await jwtVerify(token, createLocalJWKSet(fixture.bankJwks), { algorithms: ['ES256', 'PS256'], issuer: fixture.app.portico.config.http.publicUrl, audience, typ: 'secevent+jwt' });
      return payload;
    }

    /** A warning as the SET must state it: OB's claims (OBEventNotification1 apart from its event), the certificate as the lifecycle API addresses it. */
    function assertWarningSet(claims: JWTPayload, client: TppClient): CertificateWarning {
      const warning = warningOf(claims);
      assert.deepEqual(Object.keys(claims['events'] as object), [CERTIFICATE_EXPIRING], 'the Portico event alone');
      // Every claim of the OB SET profile, as the official schema states it (its event list names only resource-update).
      assertMatchesSchema({ ...claims, events: { [RESOURCE_UPDATE]: { subject: warning.subject } } }, obSchema('event-notifications', 'OBEventNotification1'));
      assertMatchesSchema(warning.subject, obSchema('event-notifications', 'OBEventSubject1'));
      const serial = warning.serialNumber;
      assert.ok(serialsOf(client).includes(serial), `${serial} is one of ${client.tpp.organisationId}'s certificates`);
      assert.equal(claims.sub, certificateUrl(client, serial));
      assert.deepEqual(warning.subject, {
        subject_type: 'http://openbanking.org.uk/rid_http://openbanking.org.uk/rty',
        'http://openbanking.org.uk/rid': serial,
        'http://openbanking.org.uk/rty': 'certificate',
        'http://openbanking.org.uk/rlk': [{ version: 'v1', link: certificateUrl(client, serial) }],
      });
      assert.equal(claims['txn'], claims.jti, 'no call caused it: txn is the notification id');
      assert.equal(typeof claims['toe'], 'number');
      const [transport, signing] = certificatesOf(client);
      const certificate = [transport!, signing!].find((candidate) => candidate.serialNumber.toLowerCase() === serial)!;
      assert.equal(warning.notAfter, certificate.notAfter.toISOString());
      assert.equal(warning.usage, certificate === transport ? 'transport' : 'signing');
      assert.equal(warning.kid, warning.usage === 'signing' ? client.tpp.signing.kid : undefined, "a signing certificate's key id in the software's JWKS; none for transport");
      return warning;
    }

    it('30, 7 and 1 days before expiry the job warns of each certificate once per threshold, however often and at however many instances it runs', async () => {
      const all = [pushed, polling, everything];
      const latest = Math.max(...all.flatMap(certificatesOf).map((certificate) => certificate.notAfter.getTime()));
      const second = fixture.app.portico.config.database.url ? await createDatabase({ url: fixture.app.portico.config.database.url, poolSize: 2 }) : undefined;
      try {
        for (const days of [29.5, 6.5, 0.5]) {
          // Every certificate of the three TPPs, issued within moments of each other, has `days` and a bit left: told it has ceil(days).
          const now = new Date(latest - days * DAY);
          await directoryOf(fixture.app.portico.database.db).warnOfExpiringCertificates(now);
          // The job again, here and at a second instance (its own pool on the same database), at once.
          await Promise.all([directoryOf(fixture.app.portico.database.db), directoryOf((second ?? fixture.app.portico.database).db)].map((directory) => directory.warnOfExpiringCertificates(now)));
        }
      } finally {
        await second?.close();
      }
      assert.equal((await warningEvents(all.flatMap(serialsOf))).length, 18, 'three warnings of each of the six certificates, recorded once each');
      await waitFor(allWarningsHandled, 'every warning turned into notifications');
    });

    it("pushes the TPP's warnings to its callback URL as SETs signed by the bank, each once, in order per certificate; the subject is the certificate at the lifecycle API", async () => {
      await waitFor(() => receiver.received.length >= 6, 'the six warnings pushed');
      // The receiver verified each against the bank's JWKS, with the TPP as audience, over mutual TLS.
      const warnings = receiver.received.map((set) => assertWarningSet(set.claims, pushed));
      assert.deepEqual([...receiver.counts().values()], [1, 1, 1, 1, 1, 1], 'each jti once');
      assert.deepEqual(warnings.map((warning) => `${warning.usage}:${warning.daysRemaining}`).sort(), ['signing:1', 'signing:30', 'signing:7', 'transport:1', 'transport:30', 'transport:7']);
      for (const serial of serialsOf(pushed)) assert.deepEqual(warnings.filter((warning) => warning.serialNumber === serial).map((warning) => warning.daysRemaining), [30, 7, 1], 'in order: 30, 7, then 1');
      const read = await pushed.mtls(new URL(String(receiver.received[0]!.claims.sub)).pathname);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.json<{ serialNumber: string }>().serialNumber, warnings[0]!.serialNumber);
      await waitFor(async () => (await fixture.app.portico.database.db.selectFrom('event_notifications').select('status').where('client_id', '=', pushed.clientId).execute()).every((row) => row.status === 'delivered'), 'the pushes recorded delivered');
    });

    it("answers the polling TPP's warnings as signed SETs until it acknowledges them", async () => {
      const sets: Record<string, string> = {};
      await waitFor(async () => {
        Object.assign(sets, (await call(polling, 'POST', '/events', { maxEvents: 20, returnImmediately: true })).json<PollResponse>().sets);
        return Object.keys(sets).length >= 6;
      }, 'the six warnings polled');
      const warnings = await Promise.all(Object.entries(sets).map(async ([jti, token]) => {
        const claims = await verified(token, polling.clientId);
        assert.equal(claims.jti, jti, 'each SET is keyed by its jti');
        return assertWarningSet(claims, polling);
      }));
      assert.deepEqual(warnings.map((warning) => `${warning.usage}:${warning.daysRemaining}`).sort(), ['signing:1', 'signing:30', 'signing:7', 'transport:1', 'transport:30', 'transport:7']);
      const acknowledged = await call(polling, 'POST', '/events', { maxEvents: 20, returnImmediately: true, ack: Object.keys(sets) });
      assert.deepEqual(acknowledged.json<PollResponse>(), { moreAvailable: false, sets: {} });
    });

    it("attack: no TPP is told of another TPP's certificates, and a TPP subscribed to every OB event type but not the Portico one is told nothing", async () => {
      assert.deepEqual((await call(everything, 'POST', '/events', { maxEvents: 20, returnImmediately: true })).json<PollResponse>(), { moreAvailable: false, sets: {} });
      const raised = await fixture.app.portico.database.db.selectFrom('event_notifications').select(['client_id', 'resource']).where('resource_key', 'like', 'certificate:%').execute();
      const own = new Map([pushed, polling].map((client) => [client.clientId, new Set(serialsOf(client))]));
      assert.equal(raised.length, 12, 'six notifications for each of the two TPPs that asked, none more');
      for (const row of raised) assert.ok(own.get(row.client_id)?.has(row.resource.id), `${row.client_id} is told only of its own certificates`);
      assert.equal(receiver.received.length, 6, 'nothing else was pushed to the pushing TPP');
    });
  });
}
