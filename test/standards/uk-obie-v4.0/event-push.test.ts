import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, X509Certificate } from 'node:crypto';
import { DIALECTS } from '../../support/backends.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { startPisFixture, tppSignature, type PisFixture } from '../../support/pis-access.ts';
import { runPortico } from '../../support/run-portico.ts';
import { SetReceiver } from '../../support/set-receiver.ts';
import { waitFor } from '../../support/wait-for.ts';

const BASE = '/open-banking/v4.0';
const RETRY_SECONDS = 4;

for (const dialect of DIALECTS) {
  describe(`OB v4.0 real-time event notifications pushed to the TPP (${dialect})`, () => {
    let fixture: PisFixture;
    let receiver: SetReceiver;

    before(async () => {
      receiver = await SetReceiver.create();
      fixture = await startPisFixture(dialect, { tpp: 'Push TPP Ltd', other: 'Other Push TPP Ltd' }, {
        EVENTS_PUSH_CA_FILE: receiver.caFile,
        EVENTS_PUSH_RETRY_BASE_MS: '50',
        EVENTS_PUSH_RETRY_SECONDS: String(RETRY_SECONDS),
        EVENTS_PUSH_CIRCUIT_OPEN_MS: '200',
        EVENTS_PUSH_TIMEOUT_MS: '800',
      });
      const bankCaPem = fixture.app.portico.tls.sandboxCa!.certificatePem;
      await receiver.start({ bankCaPem, bankJwks: fixture.bankJwks, audience: fixture.tpp.clientId });
      const body = JSON.stringify({ Data: { CallbackUrl: receiver.callbackUrl, Version: '4.0' } });
      const subscribed = await fixture.tpp.mtls(`${BASE}/event-subscriptions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await fixture.tpp.clientCredentialsToken('accounts')}`,
          'content-type': 'application/json',
          'x-fapi-interaction-id': randomUUID(),
          'x-jws-signature': await tppSignature(fixture.tpp, body),
        },
        body,
      });
      assert.equal(subscribed.status, 201, subscribed.text);
    });
    after(async () => {
      await fixture?.app.close();
      await receiver?.stop();
    });

    /** The TPP's account-access consents, authorised by Alice: each raises a notification. */
    async function authorisedConsents(count: number): Promise<string[]> {
      const consents = consentsOf(fixture.app.portico.database.db);
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const consentId = await fixture.tpp.createAccountAccessConsent(['ReadAccountsBasic']);
        await consents.authorise(consentId, { psuId: fixture.alice.psuId, partyId: fixture.alice.partyId, accountIds: [fixture.aliceGbp], grantId: randomUUID() });
        ids.push(consentId);
      }
      return ids;
    }

    /** The notifications raised for the TPP about these consents, by id, with their status. */
    async function raisedFor(consentIds: readonly string[]) {
      const rows = await fixture.app.portico.database.db
        .selectFrom('event_notifications')
        .select(['id', 'status', 'attempts', 'resource_key', 'last_error'])
        .where('client_id', '=', fixture.tpp.clientId)
        .where('resource_key', 'in', consentIds.map((id) => `consent:${id}`))
        .execute();
      return rows;
    }

    it("pushes each notification as a SET the TPP verifies with the bank's JWKS, over mutual TLS with the bank's transport certificate", async () => {
      const [consentId] = await authorisedConsents(1);
      await consentsOf(fixture.app.portico.database.db).revoke(consentId!, 'PSU');
      await waitFor(() => receiver.received.filter((set) => String(set.claims.sub).endsWith(consentId!)).length === 2, 'the two notifications of the consent');
      const sets = receiver.received.filter((set) => String(set.claims.sub).endsWith(consentId!));
      assert.deepEqual(
        sets.map((set) => Object.keys(set.claims['events'] as object)),
        [['urn:uk:org:openbanking:events:resource-update'], ['urn:uk:org:openbanking:events:resource-update', 'urn:uk:org:openbanking:events:consent-authorization-revoked']],
        'in the order they happened',
      );
      const bankCertificate = new X509Certificate(fixture.app.portico.tls.certPem);
      for (const set of sets) assert.ok(bankCertificate.subject.includes(JSON.parse(set.clientCertificateSubject).CN), 'the client certificate is the bank\'s');
      // The pusher records the delivery once the TPP's answer is in, a moment after the TPP has the SET.
      await waitFor(async () => (await raisedFor([consentId!])).every((row) => row.status === 'delivered'), 'both notifications recorded delivered');
      assert.deepEqual((await raisedFor([consentId!])).map((row) => row.status), ['delivered', 'delivered']);
    });

    it('a TPP endpoint down for a while gets everything afterwards, each jti once', async () => {
      await receiver.stop();
      const consentIds = await authorisedConsents(6);
      await waitFor(async () => (await raisedFor(consentIds)).some((row) => row.attempts > 0), 'a failed push while the endpoint is down');
      await receiver.start();
      await waitFor(async () => (await raisedFor(consentIds)).every((row) => row.status === 'delivered') && (await raisedFor(consentIds)).length === 6, 'every notification delivered');
      const raised = (await raisedFor(consentIds)).map((row) => row.id).sort();
      const counts = receiver.counts();
      assert.deepEqual(raised.filter((jti) => counts.get(jti) !== 1), [], 'every jti received exactly once');
    });

    it('an endpoint answering 500, then timing out, has its notifications retried, dead-lettered after the retry window, and replayed with `portico events dlq replay`', async () => {
      receiver.mode = 'fail';
      const [consentId] = await authorisedConsents(1);
      await waitFor(async () => ((await raisedFor([consentId!]))[0]?.attempts ?? 0) > 1, 'retries of the failing push');
      receiver.mode = 'hang';
      await waitFor(async () => (await raisedFor([consentId!]))[0]?.status === 'dead', 'the notification dead-lettered', (RETRY_SECONDS + 10) * 1000);
      const [dead] = await raisedFor([consentId!]);
      assert.ok(dead!.attempts >= 3, `retried with backoff before giving up (${dead!.attempts} attempts)`);
      receiver.mode = 'accept';
      const url = fixture.app.portico.config.database.url;
      if (url) {
        const env = { DATABASE_URL: url, LOG_LEVEL: 'silent' };
        const listed = await runPortico(['events', 'dlq', 'list', '--json', '--client', fixture.tpp.clientId], env);
        assert.equal(listed.code, 0, listed.stderr);
        assert.deepEqual((JSON.parse(listed.stdout) as Array<{ id: string }>).map((line) => line.id), [dead!.id]);
        const replayed = await runPortico(['events', 'dlq', 'replay', dead!.id], env);
        assert.equal(replayed.code, 0, replayed.stderr);
        assert.match(replayed.stdout, /Replayed 1 notification/);
      } else {
        // The embedded database is this test process's own: the same queue, through the module.
        const { createDeadLetterQueue } = await import('../../../src/modules/events/index.ts');
        assert.equal(await createDeadLetterQueue({ db: fixture.app.portico.database.db, pushRetryMs: RETRY_SECONDS * 1000 }).replay([dead!.id]), 1);
      }
      await waitFor(async () => (await raisedFor([consentId!]))[0]?.status === 'delivered', 'the replayed notification delivered');
      assert.equal(receiver.counts().get(dead!.id), 1);
    });
  });
}
