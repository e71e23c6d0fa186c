import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { consentsOf } from '../../support/consents-module.ts';
import { DIALECTS } from '../../support/backends.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import type { HttpsResponse } from '../../support/https-client.ts';
import { expectObError } from '../../support/ob-errors.ts';
import type { SandboxPsuIdentity } from '../../support/ais-access.ts';
import { authorisedConsent, checkPisResponse, PISP, pisGet, pisPost, startPisFixture, tppSignature, type ObCreditor } from '../../support/pis-access.ts';

/**
 * OB v4.0 VRP `PUT` and `PATCH /domestic-vrp-consents/{ConsentId}` are "only to be used for version
 * migrations"; the bank serves only v4.0, so there is nothing to migrate to. After the TPP's usual
 * checks the answer is the standard's error body with 405 (listed by both operations) and U009, and
 * the consent is left exactly as it was.
 */
for (const dialect of DIALECTS) {
  describe(`OB v4.0 domestic VRP consent PUT and PATCH (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let other: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;
    const db = () => app.portico.database.db;

    before(async () => {
      ({ app, tpp, other, alice, aliceGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Migrating Ltd', other: 'Other Migrating Ltd' }));
    });
    after(async () => {
      await app?.close();
    });

    const checked = (method: string, pathname: string, response: HttpsResponse) => checkPisResponse('vrp', bankJwks, method, pathname, response);
    const consentBody = (max = '50.00') => ({
      Data: {
        ControlParameters: {
          MaximumIndividualAmount: { Amount: max, Currency: 'GBP' },
          PeriodicLimits: [{ PeriodType: 'Week', PeriodAlignment: 'Consent', Amount: '200.00', Currency: 'GBP' }],
          VRPType: ['UK.OBIE.VRPType.Sweeping'],
          PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
        },
        Initiation: { CreditorAccount: bobCreditor },
      },
      Risk: { PaymentContextCode: 'TransferToSelf' },
    });

    /** A PUT (full body, JSON) or PATCH (JSON Patch) of the consent, signed and idempotent as the spec's parameters list. */
    async function change(method: 'PUT' | 'PATCH', consentId: string, options: { client?: TppClient; token?: string } = {}) {
      const client = options.client ?? tpp;
      const body = method === 'PUT' ? JSON.stringify(consentBody('75.00')) : JSON.stringify([{ op: 'replace', path: '/Data/ControlParameters/MaximumIndividualAmount/Amount', value: '75.00' }]);
      const response = await client.mtls(`${PISP}/domestic-vrp-consents/${consentId}`, {
        method,
        headers: {
          'content-type': method === 'PUT' ? 'application/json' : 'application/json-patch+json',
          authorization: `Bearer ${options.token ?? (await client.clientCredentialsToken('payments'))}`,
          'x-fapi-interaction-id': randomUUID(),
          'x-idempotency-key': randomUUID(),
          'x-jws-signature': await tppSignature(client, body),
        },
        body,
      });
      return checked(method, `${PISP}/domestic-vrp-consents/${consentId}`, response);
    }
    const read = async (consentId: string) =>
      (await checked('GET', `${PISP}/domestic-vrp-consents/${consentId}`, await pisGet(tpp, `/domestic-vrp-consents/${consentId}`, await tpp.clientCredentialsToken('payments')))).json<{
        Data: { Status: string; ControlParameters: unknown };
      }>();

    it('PUT and PATCH of the TPP’s own consent answer 405 U009 with Allow, and change nothing', async () => {
      const body = consentBody();
      const staged = await checked('POST', `${PISP}/domestic-vrp-consents`, await pisPost(tpp, '/domestic-vrp-consents', { token: await tpp.clientCredentialsToken('payments'), body: JSON.stringify(body) }));
      assert.equal(staged.status, 201, staged.text);
      const consentId = staged.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
      const before = await consentsOf(db()).find(consentId);

      for (const method of ['PUT', 'PATCH'] as const) {
        const refused = await change(method, consentId);
        expectObError(refused, 405, 'U009');
        assert.equal(refused.headers['allow'], 'GET, DELETE', `${method}: Allow names the methods served`);
        assert.match(refused.headers['content-type'] ?? '', /^application\/json/);
      }
      const after = await read(consentId);
      assert.equal(after.Data.Status, 'AWAU');
      assert.deepEqual(after.Data.ControlParameters, body.Data.ControlParameters);
      assert.deepEqual(await consentsOf(db()).find(consentId), before);
    });

    it('an authorised consent is refused alike: it stays AUTH with its limits', async () => {
      const body = consentBody();
      const { consentId } = await authorisedConsent(app, tpp, checked, { path: '/domestic-vrp-consents', body, psu: alice, accountId: aliceGbp });
      expectObError(await change('PUT', consentId), 405, 'U009');
      const after = await read(consentId);
      assert.equal(after.Data.Status, 'AUTH');
      assert.deepEqual(after.Data.ControlParameters, body.Data.ControlParameters);
    });

    it('migrating another TPP’s consent, or an unknown one, reads as not found (no id enumeration)', async () => {
      const staged = await checked('POST', `${PISP}/domestic-vrp-consents`, await pisPost(tpp, '/domestic-vrp-consents', { token: await tpp.clientCredentialsToken('payments'), body: JSON.stringify(consentBody()) }));
      const consentId = staged.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
      const foreign = await change('PUT', consentId, { client: other });
      const unknown = await change('PATCH', `vrp-${randomUUID()}`, { client: other });
      expectObError(foreign, 400, 'U011');
      expectObError(unknown, 400, 'U011');
      assert.deepEqual(JSON.parse(foreign.text).Errors, JSON.parse(unknown.text).Errors);
      assert.equal(foreign.headers['allow'], undefined);
    });

    it('a migration attempt with a PSU’s token, or with no token, fails the TPP’s security checks first', async () => {
      const { consentId, psuToken } = await authorisedConsent(app, tpp, checked, { path: '/domestic-vrp-consents', body: consentBody(), psu: alice, accountId: aliceGbp });
      expectObError(await change('PATCH', consentId, { token: psuToken }), 403, 'U006');
      const anonymous = await tpp.mtls(`${PISP}/domestic-vrp-consents/${consentId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-fapi-interaction-id': randomUUID() },
        body: JSON.stringify(consentBody()),
      });
      await checked('PUT', `${PISP}/domestic-vrp-consents/${consentId}`, anonymous);
      expectObError(anonymous, 401, 'U007');
    });
  });
}
