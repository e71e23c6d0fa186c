import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHmac, generateKeyPairSync, randomUUID, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  FlattenedSign,
  flattenedVerify,
  generateKeyPair,
  importPKCS8,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { createAccessTokenVerifier, createClientRegistry, type AccessTokenVerifier, type VerifiedAccessToken } from '../../../src/auth/index.ts';
import { DirectoryVerdicts } from '../../../src/modules/directory/index.ts';
import { buildHttpServer, createHttpMetrics } from '../../../src/platform/http/index.ts';
import { renderObErrorV4 } from '../../../src/standards/uk-obie/v4.0/index.ts';
import { captureRawBody } from '../../../src/platform/http/index.ts';
import { checkAccessToken, checkScope, checkTokenBinding, requireMtls } from '../../../src/standards/uk-obie/v4.0/security/fapi-checks.ts';
import { trustAnchorsOf } from '../../../src/standards/uk-obie/v4.0/security/ob-jws-profile.ts';
import { decorateSecurityContext } from '../../../src/standards/uk-obie/v4.0/security/security-context.ts';
import { createResponseSigner, signResponse, type ResponseSigner } from '../../../src/standards/uk-obie/v4.0/security/sign-response.ts';
import { directoryTppSigningKeys, type TppSigningKeys } from '../../../src/standards/uk-obie/v4.0/security/tpp-signing-keys.ts';
import { verifyJwsSignature } from '../../../src/standards/uk-obie/v4.0/security/verify-jws-signature.ts';
import { DIALECTS } from '../../support/backends.ts';
import { assertMatchesSchema, obSchema } from '../../support/openapi.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { TppClient } from '../../support/tpp-client.ts';
import { directoryOf } from '../../support/directory-module.ts';
import { inMemorySigningKeys } from '../../../src/platform/keystore/index.ts';

// The OB profile's header claims, as the spec spells them (not imported: the test states the wire format).
const IAT = 'http://openbanking.org.uk/iat';
const ISS = 'http://openbanking.org.uk/iss';
const TAN = 'http://openbanking.org.uk/tan';
const OB_CRIT = { [IAT]: true, [ISS]: true, [TAN]: true };

const errorResponse = obSchema('payment-initiation', 'OBErrorResponse1');
const DIRECTORY_HOST = 'directory.portico.test';
const NOW = new Date('2026-05-04T10:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const ASPSP_ORG_ID = '0015800001041REBAA';

const b64u = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A TPP as the directory knows it: ids and an RSA signing key published under its kid. */
interface TestTpp {
  readonly clientId: string;
  readonly organisationId: string;
  readonly softwareId: string;
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publishedJwk: JWK;
}

async function testTpp(clientId: string, organisationId: string, softwareId: string): Promise<TestTpp> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return { clientId, organisationId, softwareId, kid, privateKey, publicKey, publishedJwk: { ...jwk, kid, alg: 'PS256', use: 'sig' } };
}

/** The OB v3.1.4+/v4.0 JOSE header a TPP sends, with some claims changed or left out. */
function obHeader(tpp: TestTpp, changes: Record<string, unknown> = {}, omit: readonly string[] = []): Record<string, unknown> {
  const header: Record<string, unknown> = {
    alg: 'PS256',
    kid: tpp.kid,
    typ: 'JOSE',
    cty: 'application/json',
    [IAT]: NOW_S,
    [ISS]: `${tpp.organisationId}/${tpp.softwareId}`,
    [TAN]: DIRECTORY_HOST,
    crit: [IAT, ISS, TAN],
    ...changes,
  };
  for (const name of omit) delete header[name];
  return header;
}

type Signer = (input: Buffer) => Buffer;
const ps256 = (key: KeyObject): Signer => (input) => cryptoSign('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
const rs256 = (key: KeyObject): Signer => (input) => cryptoSign('sha256', input, key);

/** `header..signature` over BASE64URL(header) '.' BASE64URL(body): built by hand, so any header can be sent. */
function detachedJws(header: Record<string, unknown>, body: string, signer: Signer): string {
  const encodedHeader = b64u(JSON.stringify(header));
  return `${encodedHeader}..${b64u(signer(Buffer.from(`${encodedHeader}.${b64u(body)}`)))}`;
}

interface ObError {
  Errors: Array<{ ErrorCode: string; Path?: string; Message?: string }>;
}

function assertObError(response: { statusCode: number; body: string }, status: number, code: string): ObError {
  assert.equal(response.statusCode, status, response.body);
  const body = JSON.parse(response.body) as ObError;
  assertMatchesSchema(body, errorResponse);
  assert.equal(body.Errors.length, 1, response.body);
  assert.equal(body.Errors[0]?.ErrorCode, code, response.body);
  return body;
}

/** Verifies a response's x-jws-signature as a TPP does: PS256, the OB crit claims, a key of the bank's JWKS. */
async function verifyResponseSignature(signature: unknown, body: string | Buffer, jwks: JSONWebKeySet) {
  assert.equal(typeof signature, 'string', 'the response carries x-jws-signature');
  const [protectedHeader, payload, jwsSignature] = (signature as string).split('.');
  assert.equal(payload, '', 'the response signature is detached');
  const verified = await flattenedVerify({ protected: protectedHeader!, payload: b64u(body), signature: jwsSignature! }, createLocalJWKSet(jwks), { algorithms: ['PS256'], crit: OB_CRIT });
  assert.ok(verified.protectedHeader);
  return verified.protectedHeader;
}

describe('OB v4.0 detached JWS (x-jws-signature)', () => {
  let app: FastifyInstance;
  let tppA: TestTpp;
  let tppB: TestTpp;
  let bankJwks: JSONWebKeySet;
  let responseSigner: ResponseSigner;
  const BODY = '{"Data":{"Initiation":{"InstructionIdentification":"ACME412","EndToEndIdentification":"FRESCO.21302.GFX.20","InstructedAmount":{"Amount":"165.88","Currency":"GBP"}}},"Risk":{}}';
  const TAMPERED = BODY.replace('165.88', '9165.88');

  before(async () => {
    tppA = await testTpp('client-a', 'orgA0000000001', 'softwareA');
    tppB = await testTpp('client-b', 'orgB0000000002', 'softwareB');
    const keysByClient: Record<string, TppSigningKeys> = Object.fromEntries(
      [tppA, tppB].map((tpp) => [tpp.clientId, { organisationId: tpp.organisationId, softwareId: tpp.softwareId, keys: [tpp.publishedJwk] }]),
    );
    const tokens: Record<string, VerifiedAccessToken> = Object.fromEntries(
      ['client-a', 'client-b', 'client-unknown'].map((clientId) => [
        `token-of-${clientId}-0123456789`,
        {
          tokenId: clientId,
          kind: 'client_credentials',
          clientId,
          scopes: new Set(['payments']),
          certificateThumbprint: 'unbound',
          consentId: undefined,
          psuId: undefined,
          grantId: undefined,
          expiresAt: new Date(Date.now() + 3600_000),
        } satisfies VerifiedAccessToken,
      ]),
    );
    const verifier: Pick<AccessTokenVerifier, 'verify'> = { verify: async (value) => tokens[value] };

    // A stand-in for the bank's signing keys: one PS256 key held in memory.
    const bankKey = await generateKeyPair('PS256', { modulusLength: 2048, extractable: true });
    const bankPublic = await exportJWK(bankKey.publicKey);
    const bankKid = await calculateJwkThumbprint(bankPublic);
    responseSigner = createResponseSigner({
      keys: inMemorySigningKeys([{ ...(await exportJWK(bankKey.privateKey)), kid: bankKid, alg: 'PS256', use: 'sig' }]),
      issuer: ASPSP_ORG_ID,
      trustAnchor: DIRECTORY_HOST,
      now: () => NOW,
    });
    bankJwks = { keys: [{ ...bankPublic, kid: bankKid, alg: 'PS256', use: 'sig' }] };

    app = await buildHttpServer({
      logger: silentLogger,
      bodyLimitBytes: 16 * 1024,
      tls: undefined,
      trustProxyClientCertHeader: undefined,
      metrics: createHttpMetrics(),
      resolveErrorRenderer: () => renderObErrorV4,
    });
    const verifyStep = verifyJwsSignature({ signingKeys: async (clientId) => keysByClient[clientId], trustAnchors: [DIRECTORY_HOST], now: () => NOW });
    await app.register(async (scope) => {
      decorateSecurityContext(scope);
      captureRawBody(scope);
      scope.addHook('onSend', signResponse(responseSigner));
      scope.post('/pisp/domestic-payment-consents', { onRequest: [checkAccessToken(verifier)], preValidation: [verifyStep] }, async (request, reply) =>
        reply.status(201).send({ Data: { Received: request.body } }),
      );
    });
    // A route family that forgot captureRawBody: the step must fail closed, not verify other bytes.
    await app.register(async (scope) => {
      decorateSecurityContext(scope);
      scope.post('/no-raw-body', { onRequest: [checkAccessToken(verifier)], preValidation: [verifyStep] }, async () => ({ ok: true }));
    });
    await app.ready();
  });
  after(async () => {
    await app?.close();
  });

  const post = (signature: string | undefined, body = BODY, clientId = 'client-a', url = '/pisp/domestic-payment-consents') =>
    app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: `Bearer token-of-${clientId}-0123456789`,
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'x-jws-signature': signature }),
      },
      payload: body,
    });

  describe('valid signatures', () => {
    it('accepts a detached PS256 signature over the body, made by a standard JOSE library', async () => {
      const jws = await new FlattenedSign(Buffer.from(BODY)).setProtectedHeader(obHeader(tppA) as never).sign(tppA.privateKey, { crit: OB_CRIT });
      const response = await post(`${jws.protected}..${jws.signature}`);
      assert.equal(response.statusCode, 201, response.body);
      assert.deepEqual(response.json(), { Data: { Received: JSON.parse(BODY) } });
    });

    it('verifies the exact bytes sent: a pretty-printed body signed as sent passes', async () => {
      const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
      const response = await post(detachedJws(obHeader(tppA), pretty, ps256(tppA.privateKey)), pretty);
      assert.equal(response.statusCode, 201, response.body);
    });

    it('accepts typ and cty left out, cty spelt `json` (RFC 7515 §4.1.10), and an iat a few seconds ahead', async () => {
      for (const header of [obHeader(tppA, {}, ['typ', 'cty']), obHeader(tppA, { cty: 'json' }), obHeader(tppA, { [IAT]: NOW_S + 10 })]) {
        const response = await post(detachedJws(header, BODY, ps256(tppA.privateKey)));
        assert.equal(response.statusCode, 201, `${JSON.stringify(header)}: ${response.body}`);
      }
    });

    it("signs the response with the bank's published key: iss the bank's org_id, tan, crit", async () => {
      const response = await post(detachedJws(obHeader(tppA), BODY, ps256(tppA.privateKey)));
      assert.equal(response.statusCode, 201, response.body);
      const header = await verifyResponseSignature(response.headers['x-jws-signature'], response.rawPayload, bankJwks);
      assert.deepEqual(header, {
        alg: 'PS256',
        kid: responseSigner.kid,
        typ: 'JOSE',
        cty: 'application/json',
        [IAT]: NOW_S,
        [ISS]: ASPSP_ORG_ID,
        [TAN]: DIRECTORY_HOST,
        crit: [IAT, ISS, TAN],
      });
    });
  });

  describe('attacks, each refused with the OB error code (400)', () => {
    const cases: Array<[name: string, code: string, signature: () => string, body?: string]> = [
      ['no x-jws-signature at all', 'U019', () => ''],
      ['tampered body with a valid-looking signature (signed over the original amount)', 'U015', () => detachedJws(obHeader(tppA), BODY, ps256(tppA.privateKey)), TAMPERED],
      ['body re-formatted after signing (the signature covers bytes, not the parsed JSON)', 'U015', () => detachedJws(obHeader(tppA), BODY, ps256(tppA.privateKey)), ` ${BODY}`],
      ["signature by another TPP's key under its own kid", 'U016', () => detachedJws(obHeader(tppA, { kid: tppB.kid }), BODY, ps256(tppB.privateKey))],
      ["signature by another TPP's key under the caller's kid", 'U015', () => detachedJws(obHeader(tppA), BODY, ps256(tppB.privateKey))],
      ["another TPP's own, valid signature replayed by the caller (iss of the other TPP)", 'U016', () => detachedJws(obHeader(tppB), BODY, ps256(tppB.privateKey))],
      ['key injection: the attacker embeds its own public key as `jwk` under the victim kid', 'U015', () => detachedJws(obHeader(tppA, { jwk: tppB.publishedJwk }), BODY, ps256(tppB.privateKey))],
      ['alg none with an empty signature', 'U016', () => `${b64u(JSON.stringify(obHeader(tppA, { alg: 'none' })))}..`],
      [
        "alg HS256 keyed with the TPP's public key as HMAC secret",
        'U016',
        () => detachedJws(obHeader(tppA, { alg: 'HS256' }), BODY, (input) => createHmac('sha256', tppA.publicKey.export({ type: 'spki', format: 'pem' })).update(input).digest()),
      ],
      ['alg RS256 (RSASSA-PKCS1-v1_5), validly signed with the right key', 'U016', () => detachedJws(obHeader(tppA, { alg: 'RS256' }), BODY, rs256(tppA.privateKey))],
      ['alg left out', 'U017', () => detachedJws(obHeader(tppA, {}, ['alg']), BODY, ps256(tppA.privateKey))],
      ['crit missing an OB claim', 'U016', () => detachedJws(obHeader(tppA, { crit: [IAT, ISS] }), BODY, ps256(tppA.privateKey))],
      ['crit with an extra entry', 'U016', () => detachedJws(obHeader(tppA, { crit: [IAT, ISS, TAN, 'http://example.com/extension'], 'http://example.com/extension': 1 }), BODY, ps256(tppA.privateKey))],
      ['crit with a duplicate instead of an OB claim', 'U016', () => detachedJws(obHeader(tppA, { crit: [IAT, ISS, ISS] }), BODY, ps256(tppA.privateKey))],
      ['crit left out', 'U017', () => detachedJws(obHeader(tppA, {}, ['crit']), BODY, ps256(tppA.privateKey))],
      ['wrong iss (another organisation and software)', 'U016', () => detachedJws(obHeader(tppA, { [ISS]: `${tppB.organisationId}/${tppA.softwareId}` }), BODY, ps256(tppA.privateKey))],
      ['iss of the software id alone', 'U016', () => detachedJws(obHeader(tppA, { [ISS]: tppA.softwareId }), BODY, ps256(tppA.privateKey))],
      ['iss left out', 'U017', () => detachedJws(obHeader(tppA, {}, [ISS]), BODY, ps256(tppA.privateKey))],
      ['wrong tan (another trust anchor)', 'U016', () => detachedJws(obHeader(tppA, { [TAN]: 'openbanking.org.uk' }), BODY, ps256(tppA.privateKey))],
      ['tan left out', 'U017', () => detachedJws(obHeader(tppA, {}, [TAN]), BODY, ps256(tppA.privateKey))],
      ['iat in the future', 'U016', () => detachedJws(obHeader(tppA, { [IAT]: NOW_S + 120 }), BODY, ps256(tppA.privateKey))],
      ['iat too old (a replayed signature)', 'U016', () => detachedJws(obHeader(tppA, { [IAT]: NOW_S - 301 }), BODY, ps256(tppA.privateKey))],
      ['iat as a string', 'U016', () => detachedJws(obHeader(tppA, { [IAT]: String(NOW_S) }), BODY, ps256(tppA.privateKey))],
      ['iat left out', 'U017', () => detachedJws(obHeader(tppA, {}, [IAT]), BODY, ps256(tppA.privateKey))],
      [
        'b64=false header (the pre-v3.1.4 unencoded payload), validly signed over the raw body',
        'U016',
        () => {
          const encodedHeader = b64u(JSON.stringify(obHeader(tppA, { b64: false, crit: ['b64', IAT, ISS, TAN] })));
          return `${encodedHeader}..${b64u(ps256(tppA.privateKey)(Buffer.concat([Buffer.from(`${encodedHeader}.`), Buffer.from(BODY)])))}`;
        },
      ],
      ['b64=false without crit listing it', 'U016', () => detachedJws(obHeader(tppA, { b64: false }), BODY, ps256(tppA.privateKey))],
      ['kid left out', 'U017', () => detachedJws(obHeader(tppA, {}, ['kid']), BODY, ps256(tppA.privateKey))],
      ['typ other than JOSE', 'U016', () => detachedJws(obHeader(tppA, { typ: 'JWT' }), BODY, ps256(tppA.privateKey))],
      ['cty other than application/json', 'U016', () => detachedJws(obHeader(tppA, { cty: 'text/plain' }), BODY, ps256(tppA.privateKey))],
      [
        'detached payload not empty (an attached JWS of another body)',
        'U018',
        () => {
          const jws = detachedJws(obHeader(tppA), TAMPERED, ps256(tppA.privateKey)).split('.');
          return `${jws[0]}.${b64u(TAMPERED)}.${jws[2]}`;
        },
      ],
      ['not a JWS at all', 'U018', () => 'not-a-jws'],
      ['four parts', 'U018', () => `${detachedJws(obHeader(tppA), BODY, ps256(tppA.privateKey))}.extra`],
      ['a header that is not JSON', 'U018', () => `${b64u('{"alg":"PS256"')}..${b64u('signature')}`],
      ['a header that is a JSON array', 'U018', () => `${b64u('["PS256"]')}..${b64u('signature')}`],
      ['characters outside base64url', 'U018', () => `${b64u(JSON.stringify(obHeader(tppA)))}..abc+/=`],
    ];

    for (const [name, code, signature, body] of cases) {
      it(`${name}: ${code}`, async () => {
        const value = signature();
        const response = await post(value === '' ? undefined : value, body ?? BODY);
        const error = assertObError(response, 400, code);
        if (code !== 'U019') assert.equal(error.Errors[0]?.Path, 'x-jws-signature');
      });
    }

    it('a wrong tan or iss is answered with the value expected', async () => {
      const tan = assertObError(await post(detachedJws(obHeader(tppA, { [TAN]: 'openbanking.org.uk' }), BODY, ps256(tppA.privateKey))), 400, 'U016');
      assert.equal(tan.Errors[0]?.Message, `${TAN} must name the directory that publishes the signer's keys: ${DIRECTORY_HOST}`);
      const iss = assertObError(await post(detachedJws(obHeader(tppA, { [ISS]: tppA.softwareId }), BODY, ps256(tppA.privateKey))), 400, 'U016');
      assert.equal(iss.Errors[0]?.Message, `${ISS} must be {org_id}/{software_id} of the calling client: ${tppA.organisationId}/${tppA.softwareId}`);
    });

    it('an empty x-jws-signature counts as missing: U019', async () => {
      assertObError(await post(''), 400, 'U019');
    });

    it('a client the directory publishes no signing keys for: U016', async () => {
      assertObError(await post(detachedJws(obHeader(tppA), BODY, ps256(tppA.privateKey)), BODY, 'client-unknown'), 400, 'U016');
    });

    it('refusals are signed by the bank too (OB v4.0: 400 responses carry x-jws-signature)', async () => {
      const response = await post(detachedJws(obHeader(tppA), BODY, ps256(tppA.privateKey)), TAMPERED);
      assertObError(response, 400, 'U015');
      await verifyResponseSignature(response.headers['x-jws-signature'], response.rawPayload, bankJwks);
    });

    it('a 401 (caller not yet known) is not signed', async () => {
      const response = await app.inject({ method: 'POST', url: '/pisp/domestic-payment-consents', headers: { 'content-type': 'application/json' }, payload: BODY });
      assertObError(response, 401, 'U007');
      assert.equal(response.headers['x-jws-signature'], undefined);
    });

    it('fails closed (500, never a pass) in a route family that does not capture raw bodies', async () => {
      const response = await post(detachedJws(obHeader(tppA), BODY, ps256(tppA.privateKey)), BODY, 'client-a', '/no-raw-body');
      assert.equal(response.statusCode, 500, response.body);
    });
  });
});

for (const dialect of DIALECTS) {
  describe(`x-jws-signature end to end: TPP keys from the directory, responses signed with the bank's published key (${dialect})`, () => {
    const PATH = '/test/jws/domestic-payment-consents';
    let app: TestPortico;
    let tppA: TppClient;
    let tppB: TppClient;
    let tokenA: string;

    before(async () => {
      app = await startTestPortico(dialect, { ASPSP_ORG_ID }, {
        beforeListen: async (portico) => {
          const db = portico.database.db;
          const publicUrl = portico.config.http.publicUrl;
          // What the payments route family will wire (see the report): the real steps and the real key sources.
          const signer = createResponseSigner({ keys: portico.signingKeys, issuer: ASPSP_ORG_ID, trustAnchor: new URL(publicUrl).host });
          // Remembered under the directory's generation, as the composition root wires them.
          const remembered = new DirectoryVerdicts(portico.directory!, portico.cache);
          const signingKeys = directoryTppSigningKeys({ directory: portico.directory!, remembered, findClient: createClientRegistry(portico.authorizationServer, db).find });
          const accessTokens = createAccessTokenVerifier({ db, cache: portico.cache });
          await portico.server.register(async (scope) => {
            decorateSecurityContext(scope);
            captureRawBody(scope);
            scope.addHook('onSend', signResponse(signer));
            scope.post(
              PATH,
              {
                onRequest: [requireMtls(), checkAccessToken(accessTokens), checkTokenBinding(), checkScope('payments')],
                preValidation: [verifyJwsSignature({ signingKeys, trustAnchors: trustAnchorsOf(`${publicUrl}/directory/v1/jwks`) })],
              },
              async (request, reply) => reply.status(201).send({ Data: { Received: request.body } }),
            );
          });
        },
      });
      tppA = await TppClient.onboard(app, 'Signing Payments Ltd');
      tppB = await TppClient.onboard(app, 'Other Signer Ltd');
      await tppA.register();
      await tppB.register();
      tokenA = await tppA.clientCredentialsToken('payments');
    });
    after(async () => {
      await app?.close();
    });

    /** What a standard OB TPP client does: its signing key and kid, iss from the SSA, tan the host of its JWKS endpoint. */
    async function tppSignature(signer: TppClient, body: string, claimedBy: TppClient = signer, kid = signer.tpp.signing.kid): Promise<string> {
      const ssa = decodeJwt(claimedBy.tpp.softwareStatement);
      const header = {
        alg: 'PS256',
        kid,
        typ: 'JOSE',
        cty: 'application/json',
        [IAT]: Math.floor(Date.now() / 1000),
        [ISS]: `${String(ssa['org_id'])}/${String(ssa['software_id'])}`,
        [TAN]: new URL(String(ssa['software_jwks_endpoint'])).host,
        crit: [IAT, ISS, TAN],
      };
      const jws = await new FlattenedSign(Buffer.from(body)).setProtectedHeader(header as never).sign(await importPKCS8(signer.tpp.signing.privateKeyPem, 'PS256'), { crit: OB_CRIT });
      return `${jws.protected}..${jws.signature}`;
    }

    const send = (signature: string, body: string) =>
      tppA.mtls(PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenA}`, 'x-fapi-interaction-id': randomUUID(), 'x-jws-signature': signature },
        body,
      });

    /** The bank's keys as a TPP finds them: discovery's jwks_uri. */
    async function bankJwks(): Promise<JSONWebKeySet> {
      const discovery = (await app.request('/.well-known/openid-configuration')).json<{ jwks_uri: string }>();
      return (await app.request(new URL(discovery.jwks_uri).pathname)).json<JSONWebKeySet>();
    }

    const body = () => JSON.stringify({ Data: { Initiation: { InstructionIdentification: randomUUID().slice(0, 35), InstructedAmount: { Amount: '10.00', Currency: 'GBP' } } }, Risk: {} });

    it("accepts the TPP's signature and signs the response with a key published at the bank's jwks_uri", async () => {
      const payload = body();
      const response = await send(await tppSignature(tppA, payload), payload);
      assert.equal(response.status, 201, response.text);
      const header = await verifyResponseSignature(response.headers['x-jws-signature'], response.body, await bankJwks());
      assert.equal(header[ISS], ASPSP_ORG_ID);
      assert.equal(header[TAN], new URL(app.portico.config.http.publicUrl).host);
      assert.deepEqual(header.crit, [IAT, ISS, TAN]);
      assert.equal(decodeProtectedHeader(response.headers['x-jws-signature'] as string).alg, 'PS256');
    });

    it('tampered body: 400 U015, and the refusal is signed by the bank', async () => {
      const payload = body();
      const response = await send(await tppSignature(tppA, payload), payload.replace('10.00', '10000.00'));
      assert.equal(response.status, 400, response.text);
      assertMatchesSchema(response.json(), errorResponse);
      assert.equal(response.json<ObError>().Errors[0]?.ErrorCode, 'U015');
      await verifyResponseSignature(response.headers['x-jws-signature'], response.body, await bankJwks());
    });

    it("another registered TPP's signing key: 400 U016 under its own kid, U015 under the caller's", async () => {
      const payload = body();
      const ownKid = await send(await tppSignature(tppB, payload, tppA), payload);
      assert.equal(ownKid.status, 400, ownKid.text);
      assert.equal(ownKid.json<ObError>().Errors[0]?.ErrorCode, 'U016');
      const callersKid = await send(await tppSignature(tppB, payload, tppA, tppA.tpp.signing.kid), payload);
      assert.equal(callersKid.status, 400, callersKid.text);
      assert.equal(callersKid.json<ObError>().Errors[0]?.ErrorCode, 'U015');
    });

    it('revoked signing certificate: its key stops verifying at the next request, though it was remembered (400 U016)', async () => {
      const payload = body();
      assert.equal((await send(await tppSignature(tppA, payload), payload)).status, 201);
      const serial = new X509Certificate(tppA.tpp.signing.certificatePem).serialNumber.toLowerCase();
      await directoryOf(app.portico.database.db, app.portico.cache).revokeCertificate(serial, 'keyCompromise');
      const refused = await send(await tppSignature(tppA, payload), payload);
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json<ObError>().Errors[0]?.ErrorCode, 'U016');
    });
  });
}
