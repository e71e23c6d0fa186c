import assert from 'node:assert/strict';
import { randomUUID, X509Certificate } from 'node:crypto';
import { importPKCS8, SignJWT, type JWTPayload } from 'jose';
import type { HttpsResponse } from './https-client.ts';
import { assertMatchesSchema, dcrSchema } from './openapi.ts';
import type { TestPortico } from './start-test-portico.ts';

export const REDIRECT_URI = 'https://tpp.example/callback';
export const OTHER_REDIRECT_URI = 'https://tpp.example/other-callback';

/** The spec's 201/200 body: OBClientRegistration1 with client_id required. */
export const registrationResponse = dcrSchema('/components/responses/OBClientRegistration1/content/application~1json/schema');
export const registrationError = dcrSchema('/components/schemas/RegistrationError');

/** DESIGN.md §3 onboarding response. */
export interface Tpp {
  organisationId: string;
  softwareId: string;
  softwareStatement: string;
  transport: { certificatePem: string; privateKeyPem: string };
  signing: { certificatePem: string; privateKeyPem: string; kid: string };
}

export interface Registration {
  client_id: string;
  client_id_issued_at: number;
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  grant_types: string[];
  response_types: string[];
  scope: string;
  software_id: string;
  fapi_profile: string;
  jwks_uri: string;
  [claim: string]: unknown;
}

export async function onboard(app: TestPortico, name: string, roles: string[] = ['AISP', 'PISP']): Promise<Tpp> {
  const response = await app.request('/sandbox/v1/tpps', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ organisationName: name, roles, redirectUris: [REDIRECT_URI, OTHER_REDIRECT_URI] }),
  });
  assert.equal(response.status, 201, response.text);
  return response.json<Tpp>();
}

/** The transport certificate's subject as an RFC 4514 string (last RDN first, as OB's examples). */
export function subjectDnOf(certificatePem: string): string {
  return new X509Certificate(certificatePem).subject.split('\n').reverse().join(',');
}

/** What a standard OB TPP client sends (OB DCR v3.4 OBClientRegistration1 claims). */
export function registrationClaims(app: TestPortico, tpp: Tpp, overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: tpp.softwareId,
    aud: app.portico.config.http.publicUrl,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    software_statement: tpp.softwareStatement,
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: subjectDnOf(tpp.transport.certificatePem),
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code id_token'],
    scope: 'openid accounts payments',
    application_type: 'web',
    id_token_signed_response_alg: 'PS256',
    request_object_signing_alg: 'PS256',
    ...overrides,
  };
}

/** Signs with a TPP's signing key (PS256, its kid) unless another key is given. */
export async function signJwt(claims: JWTPayload, key: { privateKeyPem: string; kid: string }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid: key.kid, typ: 'JWT' }).sign(await importPKCS8(key.privateKeyPem, 'PS256'));
}

type RequestOptions = { method?: string; headers?: Record<string, string>; body?: string };

/** A request over mutual TLS with the TPP's transport certificate. */
export function mtls(app: TestPortico, tpp: Tpp, pathname: string, options: RequestOptions = {}): Promise<HttpsResponse> {
  return app.request(pathname, { ...options, cert: tpp.transport.certificatePem, key: tpp.transport.privateKeyPem });
}

/** POST /register with a signed request, over the TPP's mTLS unless `as` names another TPP (or null: no certificate). */
export async function register(app: TestPortico, tpp: Tpp, overrides: JWTPayload = {}, options: { as?: Tpp | null; jwt?: string; contentType?: string } = {}): Promise<HttpsResponse> {
  const body = options.jwt ?? (await signJwt(registrationClaims(app, tpp, overrides), tpp.signing));
  const request = { method: 'POST', headers: { 'content-type': options.contentType ?? 'application/jose' }, body };
  if (options.as === null) return app.request('/register', request);
  return mtls(app, options.as ?? tpp, '/register', request);
}

export async function registerClient(app: TestPortico, tpp: Tpp, overrides: JWTPayload = {}): Promise<Registration> {
  const response = await register(app, tpp, overrides);
  assert.equal(response.status, 201, response.text);
  assertMatchesSchema(response.json(), registrationResponse);
  return response.json<Registration>();
}

/** A client-credentials token request (RFC 6749 §4.4) with tls_client_auth, or private_key_jwt with `aud`. */
export async function tokenRequest(app: TestPortico, tpp: Tpp, clientId: string, options: { privateKeyJwtAudience?: string; scope?: string } = {}): Promise<HttpsResponse> {
  const fields: Record<string, string> = { grant_type: 'client_credentials', scope: options.scope ?? 'accounts', client_id: clientId };
  if (options.privateKeyJwtAudience) {
    const now = Math.floor(Date.now() / 1000);
    fields['client_assertion_type'] = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    fields['client_assertion'] = await signJwt({ iss: clientId, sub: clientId, aud: options.privateKeyJwtAudience, jti: randomUUID(), iat: now, exp: now + 60 }, tpp.signing);
  }
  return mtls(app, tpp, '/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

export async function accessToken(app: TestPortico, tpp: Tpp, clientId: string): Promise<string> {
  const response = await tokenRequest(app, tpp, clientId);
  assert.equal(response.status, 200, response.text);
  return response.json<{ access_token: string }>().access_token;
}

/** GET/PUT/DELETE /register/{ClientId} with a bearer token over the TPP's mTLS. */
export function manage(app: TestPortico, tpp: Tpp, method: 'GET' | 'PUT' | 'DELETE', clientId: string, token: string | undefined, body?: string): Promise<HttpsResponse> {
  return mtls(app, tpp, `/register/${encodeURIComponent(clientId)}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/jose' } : {}) },
    ...(body ? { body } : {}),
  });
}

/** A 400 in the spec's RegistrationError shape with the given code. */
export function assertRegistrationError(response: HttpsResponse, error: string): void {
  assert.equal(response.status, 400, response.text);
  assertMatchesSchema(response.json(), registrationError);
  assert.equal(response.json<{ error: string }>().error, error, response.text);
}
