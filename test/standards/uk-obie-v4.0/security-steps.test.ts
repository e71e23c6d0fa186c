import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../../../src/auth/index.ts';
import { ConsentErrors, type ConsentsApi } from '../../../src/modules/consents/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { buildHttpServer, createHttpMetrics } from '../../../src/platform/http/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { renderObErrorV4 } from '../../../src/standards/uk-obie/v4.0/index.ts';
import { checkAccessToken, checkGrantType, checkInteractionHeaders, checkScope, checkTokenBinding, requireMtls } from '../../../src/standards/uk-obie/v4.0/security/fapi-checks.ts';
import { checkConsentAuthorised } from '../../../src/standards/uk-obie/v4.0/security/consent-checks.ts';
import { decorateSecurityContext, verifiedTokenOf, type SecurityStep } from '../../../src/standards/uk-obie/v4.0/security/security-context.ts';
import { SecurityErrors } from '../../../src/standards/uk-obie/v4.0/security/security.errors.ts';
import { DIALECTS, openTestCache, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { assertMatchesSchema, obSchema } from '../../support/openapi.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { issueClientCertificate } from '../../support/test-certificates.ts';
import { obAccess } from '../../support/ob-access.ts';

const errorResponse = obSchema('account-info', 'OBErrorResponse1');
const CERT_HEADER = 'x-test-client-cert';
const thumbprint = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

function token(overrides: Partial<VerifiedAccessToken> = {}): VerifiedAccessToken {
  return {
    tokenId: 'token-id',
    kind: 'client_credentials',
    clientId: 'client-a',
    scopes: new Set(['accounts']),
    certificateThumbprint: 'unbound',
    consentId: undefined,
    psuId: undefined,
    grantId: undefined,
    expiresAt: new Date(Date.now() + 60_000),
    ...overrides,
  };
}

/** A verifier that knows a fixed set of tokens. */
function verifierOf(tokens: Record<string, VerifiedAccessToken>): Pick<AccessTokenVerifier, 'verify'> {
  return { verify: async (value) => tokens[value] };
}

/**
 * A server with the real error handling and OB error renderer, one route per pipeline under test.
 * The client certificate comes from a trusted proxy header so that `inject` can present one.
 */
async function serverWith(routes: Record<string, SecurityStep[]>): Promise<FastifyInstance> {
  const app = await buildHttpServer({
    logger: silentLogger,
    bodyLimitBytes: 4096,
    tls: undefined,
    trustProxyClientCertHeader: CERT_HEADER,
    metrics: createHttpMetrics(),
    resolveErrorRenderer: () => renderObErrorV4,
  });
  decorateSecurityContext(app);
  for (const [url, steps] of Object.entries(routes)) {
    app.get(url, { onRequest: steps }, async (request) => ({
      clientId: request.verifiedAccessToken?.clientId ?? null,
      consentId: request.authorisedConsent?.id ?? null,
    }));
  }
  await app.ready();
  return app;
}

interface ObError {
  Errors: Array<{ ErrorCode: string; Path?: string; Message?: string }>;
}

function assertObError(response: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, code: string, path?: string): ObError {
  assert.equal(response.statusCode, status, response.body);
  assert.ok(response.headers['x-fapi-interaction-id'], 'x-fapi-interaction-id');
  const body = JSON.parse(response.body) as ObError;
  assertMatchesSchema(body, errorResponse);
  assert.equal(body.Errors[0]?.ErrorCode, code, response.body);
  if (path !== undefined) assert.equal(body.Errors[0]?.Path, path);
  return body;
}

/** Runs one step against a hand-made request (states a TLS stack cannot easily produce). */
async function runStep(step: SecurityStep, request: Partial<FastifyRequest>): Promise<unknown> {
  const reply = { header: () => reply } as unknown as FastifyReply;
  try {
    await step(request as FastifyRequest, reply);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('OB v4.0 security steps', () => {
  let certA: { certPem: string; keyPem: string };
  let certB: { certPem: string; keyPem: string };
  let app: FastifyInstance;
  const cert = (pem: string) => ({ [CERT_HEADER]: encodeURIComponent(pem) });
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  before(async () => {
    certA = await issueClientCertificate(undefined, 'tpp-a-transport');
    certB = await issueClientCertificate(undefined, 'tpp-b-transport');
    const tokens = {
      'cc-token-of-a-0123456789': token({ certificateThumbprint: thumbprint(certA.certPem) }),
      'code-token-of-a-0123456789': token({ kind: 'authorization_code', certificateThumbprint: thumbprint(certA.certPem), consentId: 'aac-1' }),
      'payments-token-0123456789': token({ scopes: new Set(['payments']), certificateThumbprint: thumbprint(certA.certPem) }),
    };
    const verifier = verifierOf(tokens);
    app = await serverWith({
      '/mtls': [requireMtls()],
      '/token': [checkAccessToken(verifier)],
      '/bound': [requireMtls(), checkAccessToken(verifier), checkTokenBinding()],
      '/accounts-scope': [checkAccessToken(verifier), checkScope('accounts')],
      '/client-credentials-only': [checkAccessToken(verifier), checkGrantType('client_credentials')],
      '/authorization-code-only': [checkAccessToken(verifier), checkGrantType('authorization_code')],
      '/headers': [checkInteractionHeaders()],
      '/misordered': [checkTokenBinding()],
    });
  });
  after(async () => {
    await app?.close();
  });

  describe('require-mtls', () => {
    it('lets a request with a trusted client certificate through', async () => {
      const response = await app.inject({ url: '/mtls', headers: cert(certA.certPem) });
      assert.equal(response.statusCode, 200, response.body);
    });

    it('refuses a request without a client certificate: 401 (attack: no client certificate)', async () => {
      assertObError(await app.inject({ url: '/mtls' }), 401, 'U007');
    });

    it('refuses a certificate whose chain the handshake did not verify', async () => {
      const x509 = new X509Certificate(certA.certPem);
      const error = await runStep(requireMtls(), {
        clientCertificate: () => ({ x509, pem: certA.certPem, der: x509.raw, sha256: createHash('sha256').update(x509.raw).digest(), source: 'tls', chainVerifiedAtHandshake: false, transportTrusted: false }),
      });
      assert.ok(isAppError(error));
      assert.equal(error.definition, SecurityErrors.CLIENT_CERTIFICATE_UNTRUSTED);
      assert.equal(error.status, 401);
    });
  });

  describe('check-access-token', () => {
    it('records a valid Bearer token on the request (scheme case-insensitive)', async () => {
      const response = await app.inject({ url: '/token', headers: { authorization: 'bearer cc-token-of-a-0123456789' } });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { clientId: 'client-a', consentId: null });
    });

    it('answers a request without credentials with 401 and a bare Bearer challenge (RFC 6750 §3.1)', async () => {
      const response = await app.inject({ url: '/token' });
      assertObError(response, 401, 'U007', 'Authorization');
      assert.equal(response.headers['www-authenticate'], 'Bearer');
    });

    for (const [name, authorization] of [
      ['an unknown token', 'Bearer unknown-token-0123456789'],
      ['another scheme', 'Basic Y2xpZW50OnNlY3JldA=='],
      ['a malformed header', 'Bearer'],
      ['a token with forbidden characters', 'Bearer abc def'],
    ] as const) {
      it(`refuses ${name} with 401 invalid_token`, async () => {
        const response = await app.inject({ url: '/token', headers: { authorization } });
        assertObError(response, 401, 'U006', 'Authorization');
        assert.equal(response.headers['www-authenticate'], 'Bearer error="invalid_token"');
      });
    }
  });

  describe('check-token-binding', () => {
    it('accepts the certificate the token is bound to (RFC 8705 §3)', async () => {
      const response = await app.inject({ url: '/bound', headers: { ...cert(certA.certPem), ...bearer('cc-token-of-a-0123456789') } });
      assert.equal(response.statusCode, 200, response.body);
    });

    it('refuses the token over another certificate: 401 invalid_token (attack: token presented with another client certificate)', async () => {
      const response = await app.inject({ url: '/bound', headers: { ...cert(certB.certPem), ...bearer('cc-token-of-a-0123456789') } });
      assertObError(response, 401, 'U006');
      assert.equal(response.headers['www-authenticate'], 'Bearer error="invalid_token"');
    });

    it('refuses when no certificate is presented at all', async () => {
      const error = await runStep(checkTokenBinding(), { verifiedAccessToken: token({ certificateThumbprint: thumbprint(certA.certPem) }), clientCertificate: () => undefined });
      assert.ok(isAppError(error));
      assert.equal(error.definition, SecurityErrors.TOKEN_BINDING_MISMATCH);
    });

    it('fails closed (500, never a pass) when composed before check-access-token', async () => {
      const response = await app.inject({ url: '/misordered', headers: cert(certA.certPem) });
      assert.equal(response.statusCode, 500);
      assert.throws(() => verifiedTokenOf({ verifiedAccessToken: null } as FastifyRequest));
    });
  });

  describe('check-scope', () => {
    it('accepts a token with the API scope', async () => {
      assert.equal((await app.inject({ url: '/accounts-scope', headers: bearer('cc-token-of-a-0123456789') })).statusCode, 200);
    });

    it('refuses a token without it: 403 with an insufficient_scope challenge', async () => {
      const response = await app.inject({ url: '/accounts-scope', headers: bearer('payments-token-0123456789') });
      assertObError(response, 403, 'U006');
      assert.equal(response.headers['www-authenticate'], 'Bearer error="insufficient_scope", scope="accounts"');
    });
  });

  describe('check-grant-type', () => {
    it('accepts a client-credentials token where client credentials are required', async () => {
      assert.equal((await app.inject({ url: '/client-credentials-only', headers: bearer('cc-token-of-a-0123456789') })).statusCode, 200);
    });

    it('refuses an authorization-code token where client credentials are required: 403, naming both grants', async () => {
      const error = assertObError(await app.inject({ url: '/client-credentials-only', headers: bearer('code-token-of-a-0123456789') }), 403, 'U006');
      assert.equal(error.Errors[0]?.Message, "This endpoint needs an access token from the client_credentials grant (the TPP's own token from POST /token); an authorization_code token was presented");
    });

    it('refuses a client-credentials token where a PSU authorisation is required: 401 with an invalid_token challenge, naming both grants', async () => {
      const response = await app.inject({ url: '/authorization-code-only', headers: bearer('cc-token-of-a-0123456789') });
      const error = assertObError(response, 401, 'U006');
      assert.equal(response.headers['www-authenticate'], 'Bearer error="invalid_token"');
      assert.equal(error.Errors[0]?.Message, "This endpoint needs an access token from the authorization_code grant (the PSU's authorisation of the consent); a client_credentials token was presented");
    });
  });

  describe('check-interaction-headers', () => {
    it('accepts absent headers and well-formed ones', async () => {
      assert.equal((await app.inject({ url: '/headers' })).statusCode, 200);
      for (const headers of [
        { 'x-fapi-auth-date': 'Sun, 10 Sep 2017 19:43:31 UTC' },
        { 'x-fapi-auth-date': 'Sun, 10 Sep 2017 19:43:31 GMT' },
        { 'x-fapi-customer-ip-address': '104.25.212.99' },
        { 'x-fapi-customer-ip-address': '2001:db8::1' },
      ]) {
        const response = await app.inject({ url: '/headers', headers });
        assert.equal(response.statusCode, 200, `${JSON.stringify(headers)}: ${response.body}`);
      }
    });

    for (const [header, value] of [
      ['x-fapi-auth-date', '2017-09-10T19:43:31Z'],
      ['x-fapi-auth-date', 'Mon, 10 Sep 2017 19:43:31 UTC'],
      ['x-fapi-auth-date', 'Sun, 31 Feb 2017 19:43:31 UTC'],
      ['x-fapi-customer-ip-address', 'not-an-ip'],
      ['x-fapi-customer-ip-address', '999.1.1.1'],
    ] as const) {
      it(`refuses ${header}: ${value} with 400 U006 naming the header`, async () => {
        assertObError(await app.inject({ url: '/headers', headers: { [header]: value } }), 400, 'U006', header);
      });
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`check-consent-authorised (${dialect})`, () => {
    let database: TestDatabase;
    let consents: ConsentsApi;
    const cache = openTestCache();
    const now = new Date();
    const check = () => checkConsentAuthorised({ consents, kind: 'account-access', now: () => now });
    const codeToken = (consentId: string | undefined, clientId = 'client-a') => token({ kind: 'authorization_code', clientId, consentId, psuId: 'psu-1' });
    const run = async (verified: VerifiedAccessToken) => {
      const request = { verifiedAccessToken: verified, authorisedConsent: null } as unknown as FastifyRequest;
      const error = await runStep(check(), request);
      return { error, consent: request.authorisedConsent };
    };
    const newConsent = async (clientId = 'client-a', expiresAt?: Date) =>
      consentsOf(database.db).create({ kind: 'account-access', clientId, access: obAccess(['ReadAccountsBasic']), expiresAt }, new Date(now.getTime() - 60_000));
    const authorised = async (clientId = 'client-a', expiresAt?: Date) => {
      const consent = await newConsent(clientId, expiresAt);
      await consentsOf(database.db).authorise(consent.id, { psuId: 'psu-1', partyId: 'party-1', accountIds: ['acc-1'] }, new Date(now.getTime() - 30_000));
      return consent.id;
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      consents = consentsOf(database.db, cache);
    });
    after(async () => {
      await cache.close();
      await database?.close();
    });

    it('records the authorised consent of the token on the request', async () => {
      const id = await authorised();
      const { error, consent } = await run(codeToken(id));
      assert.equal(error, undefined);
      assert.equal(consent?.id, id);
      assert.equal(consent?.status, 'authorised');
    });

    it('refuses a consent still awaiting authorisation, and a revoked one, with 403 U009', async () => {
      const awaiting = await newConsent();
      assert.equal(((await run(codeToken(awaiting.id))).error as { definition: unknown }).definition, ConsentErrors.NOT_AUTHORISED);
      const id = await authorised();
      // Used once, so this process remembers it Authorised; the revocation must retire that copy.
      assert.equal((await run(codeToken(id))).error, undefined);
      await consentsOf(database.db, cache).revoke(id, 'PSU', now);
      const { error } = await run(codeToken(id));
      assert.ok(isAppError(error));
      assert.equal(error.status, 403);
      assert.equal(error.definition.reason, 'consent.invalid-status');
    });

    it('refuses an expired consent with 403 U009', async () => {
      const id = await authorised('client-a', new Date(now.getTime() - 1000));
      const { error } = await run(codeToken(id));
      assert.ok(isAppError(error));
      assert.equal(error.definition, ConsentErrors.EXPIRED);
    });

    it("refuses another TPP's consent, an unknown one, a token without one and a client-credentials token (attack: consent id of another TPP)", async () => {
      const foreign = await authorised('client-b');
      for (const verified of [codeToken(foreign), codeToken('aac-unknown'), codeToken(undefined), token({ consentId: foreign, clientId: 'client-b' })]) {
        const { error, consent } = await run(verified);
        assert.ok(isAppError(error));
        assert.equal(error.definition, SecurityErrors.CONSENT_MISMATCH);
        assert.equal(error.status, 403);
        assert.equal(consent, null);
      }
    });
  });
}
