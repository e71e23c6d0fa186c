import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { registerClient } from '../../../src/auth/index.ts';
import { DIALECTS, TEST_REDIS_URL } from '../../support/backends.ts';
import type { HttpsResponse } from '../../support/https-client.ts';
import { assertMatchesSchema, obSchema } from '../../support/openapi.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { forgeStoredToken } from '../../support/forged-tokens.ts';
import { issueClientCertificate } from '../../support/test-certificates.ts';

const consentResponse = obSchema('account-info', 'OBReadConsentResponse1');
const errorResponse = obSchema('account-info', 'OBErrorResponse1');
const PATH = '/open-banking/v4.0/aisp/account-access-consents';

interface Credentials {
  certPem: string;
  keyPem: string;
}

interface ConsentBody {
  Data: {
    ConsentId: string;
    Status: string;
    CreationDateTime: string;
    StatusUpdateDateTime: string;
    Permissions: string[];
    ExpirationDateTime?: string;
    TransactionFromDateTime?: string;
    TransactionToDateTime?: string;
  };
  Risk: object;
  Links: { Self: string };
  Meta: object;
}

interface ErrorBody {
  Id?: string;
  Errors: Array<{ ErrorCode: string; Path?: string; Message?: string }>;
}

const validBody = (data: Record<string, unknown> = {}) =>
  JSON.stringify({
    Data: {
      Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'],
      ExpirationDateTime: new Date(Date.now() + 90 * 24 * 3600_000).toISOString(),
      TransactionFromDateTime: '2025-01-01T00:00:00+00:00',
      TransactionToDateTime: '2025-12-31T23:59:59+00:00',
      ...data,
    },
    Risk: {},
  });

for (const dialect of DIALECTS) {
  // PostgreSQL runs with Redis as the token cache, as in production; PGlite with the embedded cache.
  describe(`OB v4.0 AIS account-access-consents (${dialect})`, () => {
    let app: TestPortico;
    let tppA: Credentials;
    let tppB: Credentials;
    const clientA = `aisp-a-${randomUUID()}`;
    const clientB = `aisp-b-${randomUUID()}`;

    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const tokenFor = async (clientId: string, cert: Credentials, scope = 'accounts') => {
      const response = await app.request('/token', {
        method: 'POST',
        cert: cert.certPem,
        key: cert.keyPem,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ grant_type: 'client_credentials', scope, client_id: clientId }),
      });
      assert.equal(response.status, 200, response.text);
      return response.json<{ access_token: string }>().access_token;
    };
    const call = (method: string, pathname: string, options: { token?: string; cert?: Credentials | undefined; body?: string; headers?: Record<string, string> } = {}) =>
      app.request(pathname, {
        method,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: options.body } : {}),
        ...(options.cert ? { cert: options.cert.certPem, key: options.cert.keyPem } : {}),
      });
    const assertError = (response: HttpsResponse, status: number, code: string, path?: string): ErrorBody => {
      assert.equal(response.status, status, response.text);
      assert.ok(response.headers['x-fapi-interaction-id'], 'x-fapi-interaction-id on errors too');
      const body = response.json<ErrorBody>();
      assertMatchesSchema(body, errorResponse);
      assert.equal(body.Errors[0]?.ErrorCode, code, response.text);
      if (path !== undefined) assert.equal(body.Errors[0]?.Path, path, response.text);
      assert.equal((body as unknown as { Data?: unknown }).Data, undefined, 'no data in an error');
      return body;
    };
    const create = async (token: string, cert: Credentials = tppA, body = validBody()) => {
      const response = await call('POST', PATH, { token, cert, body });
      assert.equal(response.status, 201, response.text);
      return response.json<ConsentBody>();
    };

    before(async () => {
      // Clients are registered directly with certificates of the server's sandbox CA, as in
      // test/auth/authorization-server.test.ts; sandbox mode would also require them in the directory.
      app = await startTestPortico(dialect, { SANDBOX: 'false', ...(dialect === 'postgres' ? { REDIS_URL: TEST_REDIS_URL } : {}) });
      const ca = app.portico.tls.sandboxCa;
      tppA = await issueClientCertificate(ca, `${clientA}-transport`);
      tppB = await issueClientCertificate(ca, `${clientB}-transport`);
      for (const id of [clientA, clientB]) {
        await registerClient(app.portico.authorizationServer, {
          client_id: id,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'tls_client_auth',
          tls_client_auth_subject_dn: `CN=${id}-transport,O=Test TPP,C=GB`,
          scope: 'accounts payments',
        });
      }
    });
    after(async () => {
      await app?.close();
    });

    it('creates a consent: 201 OBReadConsentResponse1 with status AWAU, Links.Self and the interaction id', async () => {
      const token = await tokenFor(clientA, tppA);
      const interactionId = randomUUID();
      const expiration = '2031-05-02T00:00:00+00:00';
      const response = await call('POST', PATH, { token, cert: tppA, body: validBody({ ExpirationDateTime: expiration }), headers: { 'x-fapi-interaction-id': interactionId } });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.headers['x-fapi-interaction-id'], interactionId);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const consent = response.json<ConsentBody>();
      assertMatchesSchema(consent, consentResponse);
      assert.match(consent.Data.ConsentId, /^aac-/);
      assert.equal(consent.Data.Status, 'AWAU');
      assert.deepEqual(consent.Data.Permissions, ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits']);
      assert.equal(consent.Data.ExpirationDateTime, expiration);
      assert.equal(consent.Data.TransactionFromDateTime, '2025-01-01T00:00:00+00:00');
      assert.equal(consent.Data.TransactionToDateTime, '2025-12-31T23:59:59+00:00');
      assert.ok(Math.abs(Date.parse(consent.Data.CreationDateTime) - Date.now()) < 60_000);
      assert.equal(consent.Data.StatusUpdateDateTime, consent.Data.CreationDateTime);
      assert.deepEqual(consent.Risk, {});
      assert.equal(consent.Links.Self, `${app.portico.config.http.publicUrl}${PATH}/${consent.Data.ConsentId}`);
    });

    it('reads it back with GET (trailing slash or not), then DELETE revokes it: 204, and it reads as CANC', async () => {
      const token = await tokenFor(clientA, tppA);
      const created = await create(token);
      const id = created.Data.ConsentId;
      for (const pathname of [`${PATH}/${id}`, `${PATH}/${id}/`]) {
        const read = await call('GET', pathname, { token, cert: tppA });
        assert.equal(read.status, 200, read.text);
        const consent = read.json<ConsentBody>();
        assertMatchesSchema(consent, consentResponse);
        assert.deepEqual(consent, created);
      }
      const deleted = await call('DELETE', `${PATH}/${id}`, { token, cert: tppA });
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal(deleted.text, '');
      assert.ok(deleted.headers['x-fapi-interaction-id']);
      const after = await call('GET', `${PATH}/${id}`, { token, cert: tppA });
      assert.equal(after.status, 200);
      const revoked = after.json<ConsentBody>();
      assertMatchesSchema(revoked, consentResponse);
      assert.equal(revoked.Data.Status, 'CANC');
      assertError(await call('DELETE', `${PATH}/${id}`, { token, cert: tppA }), 400, 'U009');
    });

    it('refuses a token presented with another client certificate: 401 (attack: token presented with another client certificate)', async () => {
      const tokenOfA = await tokenFor(clientA, tppA);
      const response = await call('POST', PATH, { token: tokenOfA, cert: tppB, body: validBody() });
      assertError(response, 401, 'U006');
      assert.equal(response.headers['www-authenticate'], 'Bearer error="invalid_token"');
      const consentOfA = await create(tokenOfA);
      assertError(await call('GET', `${PATH}/${consentOfA.Data.ConsentId}`, { token: tokenOfA, cert: tppB }), 401, 'U006');
    });

    it('refuses a request without a client certificate: 401 (attack: no client certificate)', async () => {
      const token = await tokenFor(clientA, tppA);
      assertError(await call('POST', PATH, { token, body: validBody() }), 401, 'U007');
      const consent = await create(token);
      assertError(await call('GET', `${PATH}/${consent.Data.ConsentId}`, { token }), 401, 'U007');
    });

    it('refuses a request without a token, or with a made-up one: 401', async () => {
      const missing = await call('POST', PATH, { cert: tppA, body: validBody() });
      assertError(missing, 401, 'U007', 'Authorization');
      assert.equal(missing.headers['www-authenticate'], 'Bearer');
      assertError(await call('POST', PATH, { token: 'x'.repeat(43), cert: tppA, body: validBody() }), 401, 'U006', 'Authorization');
    });

    it('checks credentials before the body: an unauthenticated malformed request is 401, not a schema error', async () => {
      assertError(await call('POST', PATH, { cert: tppA, body: '{"Data": "nonsense"' }), 401, 'U007');
    });

    it('refuses an expired token: 401 invalid_token (attack: expired token)', async () => {
      // A stored token whose expiry (row and payload) is behind us, as five minutes after issuance.
      const token = await forgeStoredToken(app.portico.database.db, await tokenFor(clientA, tppA), (payload) => ({
        payload: { ...payload, exp: Math.floor(Date.now() / 1000) - 1 },
        expiresAt: new Date(Date.now() - 1000),
      }));
      const response = await call('POST', PATH, { token, cert: tppA, body: validBody() });
      assertError(response, 401, 'U006');
      assert.equal(response.headers['www-authenticate'], 'Bearer error="invalid_token"');
    });

    it('refuses a token on the first call after its RFC 7009 revocation, though it was just used (attack: revoked token)', async () => {
      const token = await tokenFor(clientA, tppA);
      const consent = await create(token);
      const before = await call('GET', `${PATH}/${consent.Data.ConsentId}`, { token, cert: tppA });
      assert.equal(before.status, 200, 'verified, and so cached');
      const revoked = await app.request('/token/revocation', {
        method: 'POST',
        cert: tppA.certPem,
        key: tppA.keyPem,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ token, client_id: clientA }),
      });
      assert.equal(revoked.status, 200, revoked.text);
      assertError(await call('GET', `${PATH}/${consent.Data.ConsentId}`, { token, cert: tppA }), 401, 'U006');
    });

    it("answers another TPP's consent id as unknown: 400 U011, no data (attack: token of another TPP reading my consent)", async () => {
      const mine = await create(await tokenFor(clientA, tppA));
      const tokenOfB = await tokenFor(clientB, tppB);
      assertError(await call('GET', `${PATH}/${mine.Data.ConsentId}`, { token: tokenOfB, cert: tppB }), 400, 'U011');
      assertError(await call('DELETE', `${PATH}/${mine.Data.ConsentId}`, { token: tokenOfB, cert: tppB }), 400, 'U011');
      assertError(await call('GET', `${PATH}/aac-${randomUUID()}`, { token: tokenOfB, cert: tppB }), 400, 'U011');
      const still = await call('GET', `${PATH}/${mine.Data.ConsentId}`, { token: await tokenFor(clientA, tppA), cert: tppA });
      assert.equal(still.json<ConsentBody>().Data.Status, 'AWAU', 'the other TPP could not revoke it');
    });

    it('refuses a token without the accounts scope: 403', async () => {
      const paymentsOnly = await tokenFor(clientA, tppA, 'payments');
      const response = await call('POST', PATH, { token: paymentsOnly, cert: tppA, body: validBody() });
      assertError(response, 403, 'U006');
      assert.equal(response.headers['www-authenticate'], 'Bearer error="insufficient_scope", scope="accounts"');
    });

    it('refuses an invalid permission combination: 400 U002 at Data.Permissions', async () => {
      const token = await tokenFor(clientA, tppA);
      assertError(await call('POST', PATH, { token, cert: tppA, body: validBody({ Permissions: ['ReadAccountsBasic', 'ReadTransactionsBasic'] }) }), 400, 'U002', 'Data.Permissions');
      assertError(await call('POST', PATH, { token, cert: tppA, body: validBody({ Permissions: [] }) }), 400, 'U002', 'Data.Permissions');
      const unknown = assertError(await call('POST', PATH, { token, cert: tppA, body: validBody({ Permissions: ['ReadAccountsBasic', 'ReadEverything'] }) }), 400, 'U002', 'Data.Permissions[1]');
      // An enum violation lists the values the official schema allows.
      assert.match(unknown.Errors[0]!.Message!, /^\/Data\/Permissions\/1 must be one of: ReadAccountsBasic, ReadAccountsDetail, .*ReadTransactionsDetail/);
    });

    it('refuses unknown fields: 400 U005 naming the field', async () => {
      const token = await tokenFor(clientA, tppA);
      assertError(await call('POST', PATH, { token, cert: tppA, body: validBody({ Unexpected: true }) }), 400, 'U005', 'Data.Unexpected');
      const topLevel = JSON.stringify({ ...JSON.parse(validBody()), Extra: {} });
      assertError(await call('POST', PATH, { token, cert: tppA, body: topLevel }), 400, 'U005', 'Extra');
      const risk = JSON.stringify({ ...JSON.parse(validBody()), Risk: { PaymentContextCode: 'EcommerceGoods' } });
      assertError(await call('POST', PATH, { token, cert: tppA, body: risk }), 400, 'U005', 'Risk.PaymentContextCode');
    });

    it('refuses missing and malformed fields with U004 / U002 / U003', async () => {
      const token = await tokenFor(clientA, tppA);
      assertError(await call('POST', PATH, { token, cert: tppA, body: JSON.stringify({ Data: { Permissions: ['ReadAccountsBasic'] } }) }), 400, 'U004', 'Risk');
      assertError(await call('POST', PATH, { token, cert: tppA, body: JSON.stringify({ Data: {}, Risk: {} }) }), 400, 'U004', 'Data.Permissions');
      assertError(await call('POST', PATH, { token, cert: tppA, body: validBody({ ExpirationDateTime: '2031-05-02T00:00:00' }) }), 400, 'U002', 'Data.ExpirationDateTime');
      assertError(await call('POST', PATH, { token, cert: tppA, body: validBody({ ExpirationDateTime: '2020-01-01T00:00:00+00:00' }) }), 400, 'U003', 'Data.ExpirationDateTime');
      assertError(await call('POST', PATH, { token, cert: tppA, body: '{"Data":' }), 400, 'U010');
    });

    it('refuses malformed FAPI interaction headers: 400 U006', async () => {
      const token = await tokenFor(clientA, tppA);
      const ok = await call('POST', PATH, { token, cert: tppA, body: validBody(), headers: { 'x-fapi-auth-date': 'Sun, 10 Sep 2017 19:43:31 UTC', 'x-fapi-customer-ip-address': '104.25.212.99' } });
      assert.equal(ok.status, 201, ok.text);
      assertError(await call('POST', PATH, { token, cert: tppA, body: validBody(), headers: { 'x-fapi-auth-date': '10/09/2017' } }), 400, 'U006', 'x-fapi-auth-date');
    });
  });
}
