import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { SignJWT, importPKCS8, decodeJwt } from 'jose';
import type { TestPortico } from './start-test-portico.ts';
import type { HttpsResponse } from './https-client.ts';
import { registerClient } from '../../src/auth/index.ts';

export interface OnboardedTpp {
  organisationId: string;
  softwareId: string;
  softwareStatement: string;
  transport: { certificatePem: string; privateKeyPem: string };
  signing: { certificatePem: string; privateKeyPem: string; kid: string };
}

export const REDIRECT_URI = 'https://tpp.example/callback';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** What a standard OB TPP does (DESIGN.md §3), as a test client of the platform. */
export class TppClient {
  clientId = '';

  constructor(
    readonly app: TestPortico,
    readonly tpp: OnboardedTpp,
  ) {}

  static async onboard(app: TestPortico, name: string, roles: string[] = ['AISP', 'PISP']): Promise<TppClient> {
    const response = await app.request('/sandbox/v1/tpps', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisationName: name, roles, redirectUris: [REDIRECT_URI] }),
    });
    if (response.status !== 201) throw new Error(`onboarding failed: ${response.status} ${response.text}`);
    return new TppClient(app, response.json<OnboardedTpp>());
  }

  /** mTLS request with this TPP's transport certificate. */
  mtls(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpsResponse> {
    return this.app.request(pathname, { ...options, cert: this.tpp.transport.certificatePem, key: this.tpp.transport.privateKeyPem });
  }

  /** Registers an OAuth client for this TPP (tls_client_auth, its signing key for request objects). */
  async register(options: { fapiProfile?: '1.0 Final' | '2.0'; scope?: string } = {}): Promise<string> {
    const subject = new X509Certificate(this.tpp.transport.certificatePem).subject.split('\n').join(',');
    const jwks = (await this.app.request(`/directory/v1/software/${this.tpp.softwareId}/jwks`)).json<{ keys: unknown[] }>();
    this.clientId = `client-${randomUUID()}`;
    await registerClient(this.app.portico.authorizationServer, {
      client_id: this.clientId,
      client_name: 'Acme Budgeting app',
      org_id: this.tpp.organisationId,
      software_id: this.tpp.softwareId,
      grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
      response_types: ['code id_token', 'code'],
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: subject,
      id_token_signed_response_alg: 'PS256',
      request_object_signing_alg: 'PS256',
      jwks,
      scope: options.scope ?? 'openid accounts payments',
      ...(options.fapiProfile === '2.0' ? { fapi_profile: '2.0', require_signed_request_object: false, require_pushed_authorization_requests: true } : {}),
    } as never);
    return this.clientId;
  }

  async clientCredentialsToken(scope: string): Promise<string> {
    const response = await this.mtls('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials', scope, client_id: this.clientId }),
    });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
    return response.json<{ access_token: string }>().access_token;
  }

  /** A PKCE pair (RFC 7636, S256). */
  static pkce(): { verifier: string; challenge: string } {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  }

  static intentClaims(consentId: string) {
    return {
      id_token: { openbanking_intent_id: { value: consentId, essential: true }, acr: { essential: true, values: ['urn:openbanking:psd2:sca'] } },
      userinfo: { openbanking_intent_id: { value: consentId, essential: true } },
    };
  }

  /** FAPI 1.0 Advanced: an authorisation URL carrying a PS256 request object (JAR). */
  async fapi1AuthorisationUrl(consentId: string, state: string, nonce: string, challenge: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const key = await importPKCS8(this.tpp.signing.privateKeyPem, 'PS256');
    const now = Math.floor(Date.now() / 1000);
    const requestObject = await new SignJWT({
      iss: this.clientId,
      aud: this.app.portico.config.http.publicUrl,
      client_id: this.clientId,
      response_type: 'code id_token',
      redirect_uri: REDIRECT_URI,
      scope: 'openid accounts',
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      claims: TppClient.intentClaims(consentId),
      nbf: now,
      exp: now + 300,
      jti: randomUUID(),
      ...overrides,
    })
      .setProtectedHeader({ alg: 'PS256', kid: this.tpp.signing.kid, typ: 'oauth-authz-req+jwt' })
      .sign(key);
    const query = form({ client_id: this.clientId, response_type: 'code id_token', scope: 'openid accounts', redirect_uri: REDIRECT_URI, request: requestObject });
    return `${this.app.base}/auth?${query}`;
  }

  /** FAPI 2.0: push the request (PAR, RFC 9126) over mTLS, then an authorisation URL with request_uri. */
  async fapi2AuthorisationUrl(consentId: string, scope: string, state: string, challenge: string): Promise<string> {
    const response = await this.mtls('/request', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        client_id: this.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope,
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        claims: JSON.stringify(TppClient.intentClaims(consentId)),
      }),
    });
    if (response.status !== 201) throw new Error(`PAR failed: ${response.status} ${response.text}`);
    const { request_uri: requestUri } = response.json<{ request_uri: string }>();
    return `${this.app.base}/auth?${form({ client_id: this.clientId, request_uri: requestUri })}`;
  }

  async exchangeCode(code: string, verifier: string): Promise<HttpsResponse> {
    return this.mtls('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: this.clientId }),
    });
  }

  static claimsOf(idToken: string): Record<string, unknown> {
    return decodeJwt(idToken);
  }
}
