import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8, decodeJwt } from 'jose';
import type { TestPortico } from './start-test-portico.ts';
import type { HttpsResponse } from './https-client.ts';
import { registrationClaims, signJwt } from './ob-dcr-client.ts';

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

  /** Registers this TPP by OB DCR v3.4: a registration JWT signed with its signing key, over mTLS. */
  async register(options: { fapiProfile?: '1.0 Final' | '2.0' } = {}): Promise<string> {
    const response = await this.registration(options);
    if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${response.text}`);
    this.clientId = response.json<{ client_id: string }>().client_id;
    return this.clientId;
  }

  /** The response to this TPP's OB DCR v3.4 registration request, whatever it is. */
  async registration(options: { fapiProfile?: '1.0 Final' | '2.0' } = {}): Promise<HttpsResponse> {
    const claims = registrationClaims(this.app, this.tpp, {
      response_types: options.fapiProfile === '2.0' ? ['code'] : ['code id_token', 'code'],
      ...(options.fapiProfile === '2.0' ? { fapi_profile: '2.0' } : {}),
    });
    return this.mtls('/register', { method: 'POST', headers: { 'content-type': 'application/jose' }, body: await signJwt(claims, this.tpp.signing) });
  }

  /** Stages an account-access consent through the OB v4.0 API with a client-credentials token. */
  async createAccountAccessConsent(permissions: string[]): Promise<string> {
    const token = await this.clientCredentialsToken('accounts');
    const response = await this.mtls('/open-banking/v4.0/aisp/account-access-consents', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() },
      body: JSON.stringify({ Data: { Permissions: permissions }, Risk: {} }),
    });
    if (response.status !== 201) throw new Error(`consent creation failed: ${response.status} ${response.text}`);
    return response.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
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
