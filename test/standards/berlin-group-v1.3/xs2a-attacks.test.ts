import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgResponseSchema } from '../../support/openapi.ts';
import { psuAuthorises } from '../../support/portico-process.ts';
import { PsuAgent } from '../../support/psu-agent.ts';
import { TppClient } from '../../support/tpp-client.ts';
import { detailedConsent, noteCodeUsed, psuCompletesSca, psusWithIban, unusedOneTimeCode, XS2A, XS2A_REDIRECT_URI, Xs2aClient, leastUsedPsu, type SandboxPsu } from '../../support/xs2a-client.ts';

interface Links { [name: string]: { href: string } }
const codeOf = (response: { json<T>(): T }) => response.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code;

/** Named attacks on the XS2A facade, with signed requests required (XS2A_REQUEST_SIGNATURES=required). */
for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 attacks and the shared consent model (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string; accountId: string }>;
    let psu: SandboxPsu;
    let iban: string;
    let accountId: string;

    before(async () => {
      app = await startTestPortico(dialect, { XS2A_REQUEST_SIGNATURES: 'required' }, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Sicher Signiert GmbH');
      psus = await psusWithIban(app);
    });
    after(async () => {
      await app?.close();
    });
    beforeEach(() => {
      ({ psu, iban, accountId } = leastUsedPsu(psus));
    });

    async function authorisedConsent(owner: Xs2aClient, body: unknown = detailedConsent([iban])): Promise<string> {
      const created = await owner.createConsent(body, {}, true);
      assert.equal(created.status, 201, created.text);
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      return consentId;
    }

    it('attack: a request without a signature where the bank requires one is 401 SIGNATURE_MISSING', async () => {
      const refused = await tpp.createConsent(detailedConsent([iban]));
      assert.equal(refused.status, 401, refused.text);
      assertMatchesSchema(refused.json(), bgResponseSchema('/v1/consents', 'post', 401));
      assert.equal(codeOf(refused), 'SIGNATURE_MISSING');
    });

    it('attack: a payment whose body changes after signing is refused (401 SIGNATURE_INVALID) and creates nothing', async () => {
      const headers: Record<string, string> = { 'x-request-id': randomUUID(), 'content-type': 'application/json', 'psu-ip-address': '192.0.2.10', 'tpp-redirect-uri': XS2A_REDIRECT_URI };
      const signedBody = JSON.stringify({ debtorAccount: { iban }, instructedAmount: { currency: 'EUR', amount: '10.00' }, creditorAccount: { iban: 'DE89370400440532013000' }, creditorName: 'Payee' });
      const { signBgRequest } = await import('../../support/bg-http-signature.ts');
      const signature = signBgRequest({ method: 'POST', url: `${XS2A}/payments/sepa-credit-transfers`, headers, body: signedBody, certificatePem: tpp.tpp.signing.certificatePem, privateKey: tpp.tpp.signing.privateKeyPem });
      const tampered = signedBody.replace('10.00', '9999.00');
      const refused = await app.request(`${XS2A}/payments/sepa-credit-transfers`, { method: 'POST', headers: { ...headers, ...signature }, body: tampered, cert: tpp.tpp.transport.certificatePem, key: tpp.tpp.transport.privateKeyPem });
      assert.equal(refused.status, 401, refused.text);
      assert.equal(codeOf(refused), 'SIGNATURE_INVALID');
      const honest = await app.request(`${XS2A}/payments/sepa-credit-transfers`, { method: 'POST', headers: { ...headers, ...signature }, body: signedBody, cert: tpp.tpp.transport.certificatePem, key: tpp.tpp.transport.privateKeyPem });
      assert.equal(honest.status, 201, honest.text);
    });

    it('attack: unsigned reads under a stolen Consent-ID use up none of the consent\'s frequencyPerDay', async () => {
      const consentId = await authorisedConsent(tpp, detailedConsent([iban], { frequencyPerDay: 1 }));
      const list = await tpp.request(`${XS2A}/accounts`, { sign: true, headers: { 'consent-id': consentId }, psuPresent: true });
      const resourceId = list.json<{ accounts: Array<{ resourceId: string }> }>().accounts[0]!.resourceId;
      for (let i = 0; i < 3; i++) {
        const forged = await tpp.request(`${XS2A}/accounts/${resourceId}/balances`, { headers: { 'consent-id': consentId } });
        assert.equal(forged.status, 401, forged.text);
      }
      assert.equal((await tpp.request(`${XS2A}/accounts/${resourceId}/balances`, { sign: true, headers: { 'consent-id': consentId } })).status, 200);
      assert.equal((await tpp.request(`${XS2A}/accounts/${resourceId}/balances`, { sign: true, headers: { 'consent-id': consentId } })).status, 429);
    });

    it("attack: a signature made with another TPP's seal is refused (401 CERTIFICATE_INVALID)", async () => {
      const other = await Xs2aClient.onboard(app, 'Fremdsiegel AG');
      const impostor = new Xs2aClient(app, { ...tpp.tpp, signing: other.tpp.signing });
      const refused = await impostor.createConsent(detailedConsent([iban]), {}, true);
      assert.equal(refused.status, 401, refused.text);
      assert.equal(codeOf(refused), 'CERTIFICATE_INVALID');
    });

    it("attack: another TPP's consent id is unknown to it — in the path 403 CONSENT_UNKNOWN, in Consent-ID 400 CONSENT_UNKNOWN", async () => {
      const consentId = await authorisedConsent(tpp);
      const other = await Xs2aClient.onboard(app, 'Datensammler GmbH');
      const read = await other.request(`${XS2A}/consents/${consentId}`, { sign: true });
      assert.equal(read.status, 403, read.text);
      assertMatchesSchema(read.json(), bgResponseSchema('/v1/consents/{consentId}', 'get', 403));
      assert.equal(codeOf(read), 'CONSENT_UNKNOWN');
      const deleted = await other.request(`${XS2A}/consents/${consentId}`, { method: 'DELETE', sign: true });
      assert.equal(deleted.status, 403, deleted.text);
      const accounts = await other.request(`${XS2A}/accounts`, { sign: true, headers: { 'consent-id': consentId }, psuPresent: true });
      assert.equal(accounts.status, 400, accounts.text);
      assert.equal(codeOf(accounts), 'CONSENT_UNKNOWN');
      assert.equal((await tpp.request(`${XS2A}/consents/${consentId}/status`, { sign: true })).json<{ consentStatus: string }>().consentStatus, 'valid');
    });

    it('attack: a QWAC without the AISP role cannot create a consent (401 ROLE_INVALID)', async () => {
      const pispOnly = await Xs2aClient.onboard(app, 'Nur Zahlen GmbH', ['PISP']);
      const refused = await pispOnly.createConsent(detailedConsent([iban]), {}, true);
      assert.equal(refused.status, 401, refused.text);
      assert.equal(codeOf(refused), 'ROLE_INVALID');
    });

    it('attack: no QWAC at all is 401 CERTIFICATE_MISSING', async () => {
      const refused = await app.request(`${XS2A}/consents`, { method: 'POST', headers: { 'x-request-id': randomUUID(), 'content-type': 'application/json' }, body: JSON.stringify(detailedConsent([iban])) });
      assert.equal(refused.status, 401, refused.text);
      assert.equal(codeOf(refused), 'CERTIFICATE_MISSING');
    });

    it("attack: a consent naming another PSU's account cannot be authorised by this PSU (back at the nok URI, rejected)", async () => {
      const victim = psus.find((p) => p.iban !== iban)!;
      const created = await tpp.createConsent(detailedConsent([victim.iban]), {}, true);
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();
      assert.notEqual(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      assert.notEqual((await tpp.request(`${XS2A}/consents/${consentId}/status`, { sign: true })).json<{ consentStatus: string }>().consentStatus, 'valid');
    });

    it('hostile input: malformed bodies, ids and query parameters get a tppMessages 4xx, never a 5xx', async () => {
      const cases: Array<[string, string, unknown, Record<string, string>?]> = [
        ['POST', `${XS2A}/consents`, { access: 'everything' }],
        ['POST', `${XS2A}/consents`, { ...detailedConsent([iban]), frequencyPerDay: -3 }],
        ['POST', `${XS2A}/consents`, { ...detailedConsent([iban]), validUntil: '2020-13-45' }],
        ['POST', `${XS2A}/consents`, { ...detailedConsent([iban]), access: { allPsd2: 'allAccounts', accounts: [{ iban }] } }],
        ['POST', `${XS2A}/consents`, detailedConsent([iban]), { 'tpp-redirect-uri': 'javascript:alert(1)' }],
        ['GET', `${XS2A}/consents/${'x'.repeat(300)}`, undefined],
        ['GET', `${XS2A}/consents/%00%ff/status`, undefined],
        ['GET', `${XS2A}/consents/does-not-exist/authorisations/sca-nope`, undefined],
        ['PUT', `${XS2A}/consents/does-not-exist/authorisations/sca-nope`, { psuData: { password: 'x' } }],
        ['GET', `${XS2A}/accounts?withBalance=maybe`, undefined, { 'consent-id': 'nope' }],
        ['GET', `${XS2A}/accounts/nope/transactions?bookingStatus=sideways`, undefined, { 'consent-id': 'nope' }],
        ['GET', `${XS2A}/accounts/nope/transactions/%00%ff`, undefined, { 'consent-id': 'nope' }],
        ['GET', `${XS2A}/accounts/nope/transactions/${'x'.repeat(300)}`, undefined, { 'consent-id': 'nope' }],
        ['POST', `${XS2A}/payments/sepa-credit-transfers`, { instructedAmount: { currency: 'EUR', amount: '-1' }, creditorAccount: { iban: 'XX00' }, creditorName: 'x' }],
        ['POST', `${XS2A}/payments/sepa-credit-transfers`, { instructedAmount: { currency: 'EUR', amount: '1.00' }, creditorAccount: { iban: 'DE00000000000000000000' }, creditorName: 'x', debtorAccount: { iban } }],
        ['POST', `${XS2A}/bulk-payments/sepa-credit-transfers`, { debtorAccount: { iban }, payments: [] }],
        ['POST', `${XS2A}/periodic-payments/sepa-credit-transfers`, { instructedAmount: { currency: 'EUR', amount: '1.00' }, creditorAccount: { iban: 'DE89370400440532013000' }, creditorName: 'x', startDate: 'tomorrow', frequency: 'Hourly' }],
        ['POST', `${XS2A}/funds-confirmations`, { account: { iban }, instructedAmount: { currency: 'EUR', amount: 'lots' } }, { 'consent-id': 'nope' }],
        ['GET', `${XS2A}/payments/sepa-credit-transfers/nope`, undefined],
      ];
      for (const [method, path, body, headers = {}] of cases) {
        const response = await tpp.request(path, { method, body, sign: true, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, ...headers } });
        assert.ok(response.status >= 400 && response.status < 500, `${method} ${path}: ${response.status} ${response.text.slice(0, 300)}`);
        assert.ok(Array.isArray(response.json<{ tppMessages?: unknown }>().tppMessages), `${method} ${path}: ${response.text.slice(0, 300)}`);
      }
      const invalidJson = await app.request(`${XS2A}/consents`, { method: 'POST', headers: { 'x-request-id': randomUUID(), 'content-type': 'application/json', 'psu-ip-address': '192.0.2.1' }, body: '{"access":', cert: tpp.tpp.transport.certificatePem, key: tpp.tpp.transport.privateKeyPem });
      assert.equal(invalidJson.status, 400, invalidJson.text);
      assert.equal(codeOf(invalidJson), 'FORMAT_ERROR');
    });

    it('a missing or malformed X-Request-ID is 400 FORMAT_ERROR', async () => {
      const missing = await app.request(`${XS2A}/consents/x/status`, { headers: {}, cert: tpp.tpp.transport.certificatePem, key: tpp.tpp.transport.privateKeyPem });
      assert.equal(missing.status, 400, missing.text);
      assert.equal(codeOf(missing), 'FORMAT_ERROR');
      const malformed = await tpp.request(`${XS2A}/consents/x/status`, { headers: { 'x-request-id': 'not-a-uuid' } });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.headers['x-request-id'], 'not-a-uuid');
    });

    it('one consent model: the PSU stops an XS2A and a UK consent in the one dashboard; the next call of each API is refused', async () => {
      // Three authentications of one PSU (two SCAs and the dashboard login): a PSU of the many with sterling accounts no test used yet.
      ({ psu, iban, accountId } = leastUsedPsu((await psusWithIban(app, 'GBP')).slice(-20)));
      // The UK consent, authorised through the OB v4.0 journey (its one-time code is this step's).
      const ukTpp = await TppClient.onboard(app, 'UK Reader Ltd');
      await ukTpp.register();
      const ukConsentId = await ukTpp.createAccountAccessConsent(['ReadAccountsDetail', 'ReadBalances']);
      const ukToken = await psuAuthorises(app, ukTpp, ukConsentId, 'openid accounts', psu, accountId);
      noteCodeUsed(psu.totpSecret);
      const xs2aConsentId = await authorisedConsent(tpp);

      const agent = new PsuAgent(app);
      await agent.go(`${app.base}/psu/login`, { username: psu.username, password: psu.password });
      const dashboard = await agent.go(`${app.base}/psu/login/otp`, { otp: await unusedOneTimeCode(psu.totpSecret) });
      assert.match(dashboard.text, /Sicher Signiert GmbH/, 'the XS2A TPP is named by its organisation');
      assert.match(dashboard.text, /UK Reader Ltd/);
      for (const consentId of [xs2aConsentId, ukConsentId]) {
        const stop = await agent.go(`${app.base}/psu/access/${consentId}/stop`);
        const csrf = /name="csrf" value="([^"]+)"/.exec(stop.text)?.[1];
        assert.ok(csrf, stop.text.slice(0, 300));
        assert.match((await agent.go(`${app.base}/psu/access/${consentId}/revoke`, { csrf, decision: 'stop' })).text, /has stopped/);
      }
      const xs2a = await tpp.request(`${XS2A}/accounts`, { sign: true, headers: { 'consent-id': xs2aConsentId }, psuPresent: true });
      assert.equal(xs2a.status, 401, xs2a.text);
      assert.equal(codeOf(xs2a), 'CONSENT_INVALID');
      assert.equal((await tpp.request(`${XS2A}/consents/${xs2aConsentId}/status`, { sign: true })).json<{ consentStatus: string }>().consentStatus, 'revokedByPsu');
      const uk = await ukTpp.mtls('/open-banking/v4.0/aisp/accounts', { headers: { authorization: `Bearer ${ukToken}`, 'x-fapi-interaction-id': randomUUID() } });
      assert.notEqual(uk.status, 200, uk.text);
      assert.ok([401, 403].includes(uk.status), `${uk.status} ${uk.text}`);
    });
  });
}
