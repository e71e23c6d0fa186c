import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { runInInteraction } from '../../../src/platform/events/index.ts';
import type { LedgerCoreBanking } from '../../../src/core/adapters/ledger/index.ts';
import { DIALECTS } from '../../support/backends.ts';
import { consentsOf } from '../../support/consents-module.ts';
import type { HttpsResponse } from '../../support/https-client.ts';
import { expectObError } from '../../support/ob-errors.ts';
import { assertMatchesSchema, assertObResponse, obSchema } from '../../support/openapi.ts';
import { startPisFixture, tppSignature, type PisFixture } from '../../support/pis-access.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import { waitFor } from '../../support/wait-for.ts';

const BASE = '/open-banking/v4.0';
const RESOURCE_UPDATE = 'urn:uk:org:openbanking:events:resource-update';
const REVOKED = 'urn:uk:org:openbanking:events:consent-authorization-revoked';
const LINKED = 'urn:uk:org:openbanking:events:account-access-consent-linked-account-update';

interface SubscriptionData {
  EventSubscriptionId: string;
  CallbackUrl?: string;
  Version: string;
  EventTypes?: string[];
}

interface PollResponse {
  moreAvailable: boolean;
  sets: Record<string, string>;
}

for (const dialect of DIALECTS) {
  describe(`OB v4.0 event subscriptions and aggregated polling (${dialect})`, () => {
    let fixture: PisFixture;
    let tpp: TppClient;
    let other: TppClient;
    let bankJwks: JSONWebKeySet;

    before(async () => {
      fixture = await startPisFixture(dialect, { tpp: 'Events TPP Ltd', other: 'Other Events TPP Ltd' }, { EVENTS_LONG_POLL_SECONDS: '1' });
      ({ tpp, other, bankJwks } = fixture);
    });
    after(async () => {
      await fixture?.app.close();
    });

    /** A call to the event APIs with the TPP's client-credentials token, checked against the official file. */
    async function call(client: TppClient, method: string, path: string, body?: unknown, options: { signed?: boolean; scope?: string; token?: string } = {}): Promise<HttpsResponse> {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const signed = options.signed ?? ((method === 'POST' || method === 'PUT') && path.startsWith('/event-subscriptions'));
      const response = await client.mtls(`${BASE}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token ?? (await client.clientCredentialsToken(options.scope ?? 'accounts'))}`,
          'x-fapi-interaction-id': randomUUID(),
          ...(text === undefined ? {} : { 'content-type': 'application/json' }),
          ...(signed && text !== undefined ? { 'x-jws-signature': await tppSignature(client, text) } : {}),
        },
        ...(text === undefined ? {} : { body: text }),
      });
      assertObResponse('events', method, `${BASE}${path}`, response);
      return response;
    }

    async function verifiedSet(token: string): Promise<JWTPayload> {
      const header = decodeProtectedHeader(token);
      assert.equal(header.typ, 'secevent+jwt');
      const { payload } = await jwtVerify(token, createLocalJWKSet(bankJwks), { algorithms: ['ES256', 'PS256'], issuer: fixture.app.portico.config.http.publicUrl, audience: tpp.clientId, typ: 'secevent+jwt' });
      return payload;
    }

    it('a TPP subscribes once (signed request, signed response), reads, changes and deletes its subscription', async () => {
      const created = await call(tpp, 'POST', '/event-subscriptions', { Data: { CallbackUrl: 'https://hooks.tpp.example/ob/v4.0', Version: '4.0', EventTypes: [RESOURCE_UPDATE] } }, { scope: 'payments' });
      assert.equal(created.status, 201, created.text);
      assert.equal(typeof created.headers['x-jws-signature'], 'string', 'the 201 is signed');
      const data = created.json<{ Data: SubscriptionData; Links: { Self: string } }>();
      assert.deepEqual({ ...data.Data, EventSubscriptionId: 'id' }, { EventSubscriptionId: 'id', CallbackUrl: 'https://hooks.tpp.example/ob/v4.0', Version: '4.0', EventTypes: [RESOURCE_UPDATE] });
      assert.equal(new URL(data.Links.Self).pathname, `${BASE}/event-subscriptions/${data.Data.EventSubscriptionId}`);
      const id = data.Data.EventSubscriptionId;

      expectObError(await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0' } }), 409, 'U029');

      const listed = await call(tpp, 'GET', '/event-subscriptions');
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.json<{ Data: { EventSubscription: SubscriptionData[] } }>().Data.EventSubscription.map((s) => s.EventSubscriptionId), [id]);

      const changed = await call(tpp, 'PUT', `/event-subscriptions/${id}`, { Data: { EventSubscriptionId: id, Version: '4.0' } });
      assert.equal(changed.status, 200, changed.text);
      assert.deepEqual(changed.json<{ Data: SubscriptionData }>().Data, { EventSubscriptionId: id, Version: '4.0' });

      expectObError(await call(tpp, 'PUT', `/event-subscriptions/${id}`, { Data: { EventSubscriptionId: randomUUID(), Version: '4.0' } }), 400, 'U002');
      const deleted = await call(tpp, 'DELETE', `/event-subscriptions/${id}`);
      assert.equal(deleted.status, 204);
      assert.deepEqual((await call(tpp, 'GET', '/event-subscriptions')).json<{ Data: { EventSubscription: unknown[] } }>().Data.EventSubscription, []);
    });

    it('refuses an unsigned subscription, an unserved version or event type, an unsafe callback URL and a body off the schema, each with the OB error', async () => {
      expectObError(await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0' } }, { signed: false }), 400, 'U019');
      expectObError(await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '3.1' } }), 400, 'U002');
      expectObError(await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0', EventTypes: ['urn:uk:org:openbanking:events:made-up'] } }), 400, 'U024');
      for (const CallbackUrl of ['http://hooks.tpp.example/cb', 'https://169.254.169.254/latest', 'https://attacker.example/cb']) {
        expectObError(await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0', CallbackUrl } }), 400, 'U002');
      }
      expectObError(await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0', Extra: true } }), 400, 'U005');
      assert.deepEqual((await call(tpp, 'GET', '/event-subscriptions')).json<{ Data: { EventSubscription: unknown[] } }>().Data.EventSubscription, []);
    });

    it('refuses a call without a token (401) and a PSU-less token of no event scope (403)', async () => {
      const anonymous = await tpp.mtls(`${BASE}/event-subscriptions`, { headers: { 'x-fapi-interaction-id': randomUUID() } });
      assert.equal(anonymous.status, 401);
      const openidOnly = await call(tpp, 'GET', '/event-subscriptions', undefined, { scope: 'openid' });
      assert.equal(openidOnly.status, 403);
    });

    it("BOLA: a TPP cannot see, change or delete another TPP's subscription", async () => {
      const mine = (await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0' } })).json<{ Data: SubscriptionData }>().Data.EventSubscriptionId;
      try {
        assert.deepEqual((await call(other, 'GET', '/event-subscriptions')).json<{ Data: { EventSubscription: unknown[] } }>().Data.EventSubscription, []);
        expectObError(await call(other, 'PUT', `/event-subscriptions/${mine}`, { Data: { EventSubscriptionId: mine, Version: '4.0', CallbackUrl: 'https://hooks.tpp.example/stolen' } }), 400, 'U011');
        expectObError(await call(other, 'DELETE', `/event-subscriptions/${mine}`), 400, 'U011');
        assert.deepEqual((await call(tpp, 'GET', '/event-subscriptions')).json<{ Data: { EventSubscription: SubscriptionData[] } }>().Data.EventSubscription, [{ EventSubscriptionId: mine, Version: '4.0' }]);
      } finally {
        await call(tpp, 'DELETE', `/event-subscriptions/${mine}`);
      }
    });

    it("polling answers the TPP's SETs, signed by the bank's key, until acknowledged; a PSU's revocation is a resource update and a revocation; another TPP sees and acknowledges none of them", async () => {
      const subscription = (await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0' } })).json<{ Data: SubscriptionData }>().Data.EventSubscriptionId;
      await call(other, 'POST', '/event-subscriptions', { Data: { Version: '4.0' } });
      try {
        const consentId = await tpp.createAccountAccessConsent(['ReadAccountsBasic']);
        const consents = consentsOf(fixture.app.portico.database.db);
        await consents.authorise(consentId, { psuId: fixture.alice.psuId, partyId: fixture.alice.partyId, accountIds: [fixture.aliceGbp], grantId: randomUUID() });
        // The revocation as the PSU's request makes it: the events it records carry the request's interaction id.
        const revocation = randomUUID();
        await runInInteraction(revocation, () => consents.revoke(consentId, 'PSU'));

        // A long poll answers as soon as there is something; the second notification may come later.
        const sets: Record<string, string> = {};
        await waitFor(async () => {
          const polled = await call(tpp, 'POST', '/events', { maxEvents: 10, returnImmediately: false });
          assert.equal(polled.status, 200, polled.text);
          Object.assign(sets, polled.json<PollResponse>().sets);
          return Object.keys(sets).length >= 2;
        }, 'both notifications of the consent');

        const claims = await Promise.all(Object.entries(sets).map(async ([jti, token]) => {
          const payload = await verifiedSet(token);
          assert.equal(payload.jti, jti, 'each SET is keyed by its jti');
          return payload;
        }));
        const consentUrl = new URL(`${BASE}/aisp/account-access-consents/${consentId}`, fixture.app.portico.config.http.publicUrl).toString();
        const subject = {
          subject_type: 'http://openbanking.org.uk/rid_http://openbanking.org.uk/rty',
          'http://openbanking.org.uk/rid': consentId,
          'http://openbanking.org.uk/rty': 'account-access-consent',
          'http://openbanking.org.uk/rlk': [{ version: 'v4.0', link: consentUrl }],
        };
        for (const payload of claims) {
          assert.equal(payload.sub, consentUrl);
          assert.equal(typeof payload.txn, 'string');
          assert.equal(typeof payload.toe, 'number');
        }
        const [authorised, revoked] = claims.sort((a, b) => Object.keys(a['events'] as object).length - Object.keys(b['events'] as object).length);
        // The authorisation alone is a resource update, exactly as the official OBEventNotification1 states it.
        assertMatchesSchema(authorised, obSchema('event-notifications', 'OBEventNotification1'));
        assert.deepEqual(authorised!['events'], { [RESOURCE_UPDATE]: { subject } });
        assert.deepEqual(revoked!['events'], { [RESOURCE_UPDATE]: { subject }, [REVOKED]: {} });
        assert.equal(revoked!['txn'], revocation, 'txn is the interaction id of the call that revoked');

        // Another TPP neither polls them nor can acknowledge them away.
        const stranger = await call(other, 'POST', '/events', { maxEvents: 10, returnImmediately: true, ack: Object.keys(sets) });
        assert.deepEqual(stranger.json<PollResponse>(), { moreAvailable: false, sets: {} });

        const again = await call(tpp, 'POST', '/events', { maxEvents: 1, returnImmediately: true });
        assert.equal(again.json<PollResponse>().moreAvailable, true, 'unacknowledged, they are answered again');
        const acknowledged = await call(tpp, 'POST', '/events', { maxEvents: 10, returnImmediately: true, ack: Object.keys(sets) });
        assert.deepEqual(acknowledged.json<PollResponse>(), { moreAvailable: false, sets: {} });
      } finally {
        await call(tpp, 'DELETE', `/event-subscriptions/${subscription}`);
      }
    });

    it("an account the bank closes or blocks in the core is an account-access-consent-linked-account-update for the TPP whose consent holds it", async () => {
      const subscription = (await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0', EventTypes: [LINKED] } })).json<{ Data: SubscriptionData }>().Data.EventSubscriptionId;
      const ledger = fixture.app.portico.core as LedgerCoreBanking;
      try {
        const consentId = await tpp.createAccountAccessConsent(['ReadAccountsBasic']);
        await consentsOf(fixture.app.portico.database.db).authorise(consentId, { psuId: fixture.alice.psuId, partyId: fixture.alice.partyId, accountIds: [fixture.aliceGbp], grantId: randomUUID() });
        assert.equal(await ledger.changeAccountStatus(fixture.aliceGbp, 'Disabled'), true);
        let sets: Record<string, string> = {};
        await waitFor(async () => {
          sets = (await call(tpp, 'POST', '/events', { maxEvents: 10, returnImmediately: false })).json<PollResponse>().sets;
          return Object.keys(sets).length > 0;
        }, 'the linked-account update');
        const [payload] = await Promise.all(Object.values(sets).map(verifiedSet));
        const events = payload!['events'] as Record<string, { subject: Record<string, unknown> }>;
        assert.deepEqual(Object.keys(events), [LINKED]);
        assert.equal(events[LINKED]!.subject['http://openbanking.org.uk/rid'], consentId);
        assert.equal(events[LINKED]!.subject['http://openbanking.org.uk/rty'], 'account-access-consent');
        await call(tpp, 'POST', '/events', { maxEvents: 0, ack: Object.keys(sets) });
      } finally {
        await ledger.changeAccountStatus(fixture.aliceGbp, 'Enabled');
        await call(tpp, 'DELETE', `/event-subscriptions/${subscription}`);
      }
    });

    it('a long poll with nothing to answer waits its bound (EVENTS_LONG_POLL_SECONDS), then answers empty; a short one answers at once', async () => {
      const subscription = (await call(tpp, 'POST', '/event-subscriptions', { Data: { Version: '4.0' } })).json<{ Data: SubscriptionData }>().Data.EventSubscriptionId;
      try {
        const token = await tpp.clientCredentialsToken('accounts');
        const timed = async (body: object) => {
          const started = Date.now();
          const response = await call(tpp, 'POST', '/events', body, { token });
          return { ms: Date.now() - started, body: response.json<PollResponse>() };
        };
        const long = await timed({ returnImmediately: false });
        assert.deepEqual(long.body, { moreAvailable: false, sets: {} });
        assert.ok(long.ms >= 900, `waited ${long.ms} ms`);
        const short = await timed({ returnImmediately: true });
        assert.ok(short.ms < 900, `answered in ${short.ms} ms`);
      } finally {
        await call(tpp, 'DELETE', `/event-subscriptions/${subscription}`);
      }
    });

    it('a poll with a negative maxEvents is refused', async () => {
      expectObError(await call(tpp, 'POST', '/events', { maxEvents: -1 }), 400, 'U002');
    });
  });
}
