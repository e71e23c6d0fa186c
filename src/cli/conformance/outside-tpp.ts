import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { httpsSend, type HttpsAnswer } from '../https-send.ts';
import { decodeJwt, FlattenedSign, importPKCS8, SignJWT, type JWTPayload } from 'jose';

export type FapiProfileName = 'fapi1-advanced' | 'fapi2';

/** What `POST /sandbox/v1/tpps` returns (DESIGN.md §3, and the connection details it adds). */
export interface TppCredentials {
  readonly organisationId: string;
  readonly softwareId: string;
  readonly softwareStatement: string;
  readonly transport: { readonly certificatePem: string; readonly privateKeyPem: string };
  readonly signing: { readonly certificatePem: string; readonly privateKeyPem: string; readonly kid: string };
  readonly registration: { readonly tls_client_auth_subject_dn: string };
}

export type WireResponse = HttpsAnswer;

export interface WireRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Send the TPP's transport certificate (mutual TLS). Default true. */
  readonly mtls?: boolean;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

// OB v4.0 security profile: the detached JWS header claims of payment requests.
const OB_IAT = 'http://openbanking.org.uk/iat';
const OB_ISS = 'http://openbanking.org.uk/iss';
const OB_TAN = 'http://openbanking.org.uk/tan';

/**
 * A TPP as any standard OB client is one, talking to the bank only over HTTPS: DCR v3.4 over
 * mutual TLS, client-credentials tokens, FAPI 1.0 Advanced (signed request object, `code id_token`)
 * or FAPI 2.0 (PAR, `code`) authorisation requests with PKCE, and detached JWS request signing.
 */
export class OutsideTpp {
  clientId = '';

  constructor(
    readonly baseUrl: string,
    readonly ca: string | undefined,
    readonly credentials: TppCredentials,
    readonly redirectUri: string,
    readonly profile: FapiProfileName,
  ) {}

  /** Onboards a TPP at the sandbox directory (`POST /sandbox/v1/tpps`). */
  static async onboard(baseUrl: string, ca: string | undefined, name: string, redirectUri: string, profile: FapiProfileName): Promise<OutsideTpp> {
    const response = await send(baseUrl, ca, undefined, '/sandbox/v1/tpps', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisationName: name, roles: ['AISP', 'PISP', 'CBPII'], redirectUris: [redirectUri] }),
      mtls: false,
    });
    if (response.status !== 201) throw new Error(`sandbox onboarding answered ${response.status}: ${response.text}`);
    return new OutsideTpp(baseUrl, ca, JSON.parse(response.text) as TppCredentials, redirectUri, profile);
  }

  request(pathname: string, request: WireRequest = {}): Promise<WireResponse> {
    return send(this.baseUrl, this.ca, request.mtls === false ? undefined : this.credentials.transport, pathname, request);
  }

  get issuer(): string {
    return new URL(this.baseUrl).origin;
  }

  private get ssa(): JWTPayload {
    return decodeJwt(this.credentials.softwareStatement);
  }

  /** OB DCR v3.4: a registration JWT signed with the signing key, sent over mutual TLS. */
  async register(): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {
      iss: this.credentials.softwareId,
      aud: this.issuer,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
      software_statement: this.credentials.softwareStatement,
      redirect_uris: [this.redirectUri],
      token_endpoint_auth_method: 'tls_client_auth',
      // As the bank formats it (RFC 4514, escaped), not re-derived: names with special characters differ.
      tls_client_auth_subject_dn: this.credentials.registration.tls_client_auth_subject_dn,
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: this.profile === 'fapi2' ? ['code'] : ['code id_token'],
      scope: 'openid accounts payments fundsconfirmations',
      application_type: 'web',
      id_token_signed_response_alg: 'PS256',
      request_object_signing_alg: 'PS256',
      // A bank whose default is FAPI 1.0 Advanced holds this client to FAPI 2.0 when asked.
      ...(this.profile === 'fapi2' ? { fapi_profile: '2.0' } : {}),
    };
    const jwt = await this.signJwt(claims, 'JWT');
    const response = await this.request('/register', { method: 'POST', headers: { 'content-type': 'application/jose' }, body: jwt });
    if (response.status !== 201) throw new Error(`registration answered ${response.status}: ${response.text}`);
    this.clientId = (JSON.parse(response.text) as { client_id: string }).client_id;
  }

  private async signJwt(claims: JWTPayload, typ: string): Promise<string> {
    const key = await importPKCS8(this.credentials.signing.privateKeyPem, 'PS256');
    return new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid: this.credentials.signing.kid, typ }).sign(key);
  }

  async clientCredentialsToken(scope: string): Promise<string> {
    const response = await this.request('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials', scope, client_id: this.clientId }),
    });
    if (response.status !== 200) throw new Error(`client-credentials token (${scope}) answered ${response.status}: ${response.text}`);
    return (JSON.parse(response.text) as { access_token: string }).access_token;
  }

  /**
   * The OB detached JWS of a request body (OB v4.0 security profile): PS256 with the signing key,
   * `iss` = `{org_id}/{software_id}`, `tan` = the host of the directory's JWKS endpoint.
   * `without` leaves named OB claims out (the suite's missing-claim cases).
   */
  async detachedSignature(body: string, without: readonly string[] = []): Promise<string> {
    const ssa = this.ssa;
    const claims: Record<string, unknown> = {
      [OB_IAT]: Math.floor(Date.now() / 1000),
      [OB_ISS]: `${String(ssa['org_id'])}/${String(ssa['software_id'])}`,
      [OB_TAN]: new URL(String(ssa['software_jwks_endpoint'])).host,
    };
    for (const name of without) delete claims[`http://openbanking.org.uk/${name}`];
    const header = { alg: 'PS256', kid: this.credentials.signing.kid, typ: 'JOSE', cty: 'application/json', ...claims, crit: Object.keys(claims) };
    const key = await importPKCS8(this.credentials.signing.privateKeyPem, 'PS256');
    const jws = await new FlattenedSign(Buffer.from(body))
      .setProtectedHeader(header as never)
      .sign(key, { crit: Object.fromEntries(Object.keys(claims).map((name) => [name, true])) });
    return `${jws.protected}..${jws.signature}`;
  }

  /** An authorisation request for a consent, as the profile makes it; the verifier redeems the code. */
  async authorisationUrl(consentId: string, scope: string): Promise<{ url: string; verifier: string; state: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomUUID();
    const claims = {
      id_token: { openbanking_intent_id: { value: consentId, essential: true }, acr: { essential: true, values: ['urn:openbanking:psd2:sca'] } },
      userinfo: { openbanking_intent_id: { value: consentId, essential: true } },
    };
    const fullScope = `openid ${scope}`;
    if (this.profile === 'fapi2') {
      const pushed = await this.request('/request', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ client_id: this.clientId, response_type: 'code', redirect_uri: this.redirectUri, scope: fullScope, state, code_challenge: challenge, code_challenge_method: 'S256', claims: JSON.stringify(claims) }),
      });
      if (pushed.status !== 201) throw new Error(`pushed authorisation request answered ${pushed.status}: ${pushed.text}`);
      const { request_uri: requestUri } = JSON.parse(pushed.text) as { request_uri: string };
      return { url: `${this.baseUrl}/auth?${form({ client_id: this.clientId, request_uri: requestUri })}`, verifier, state };
    }
    const now = Math.floor(Date.now() / 1000);
    const requestObject = await this.signJwt(
      {
        iss: this.clientId,
        aud: this.issuer,
        client_id: this.clientId,
        response_type: 'code id_token',
        redirect_uri: this.redirectUri,
        scope: fullScope,
        state,
        nonce: randomUUID(),
        code_challenge: challenge,
        code_challenge_method: 'S256',
        claims,
        nbf: now,
        exp: now + 300,
        jti: randomUUID(),
      },
      'oauth-authz-req+jwt',
    );
    const query = form({ client_id: this.clientId, response_type: 'code id_token', scope: fullScope, redirect_uri: this.redirectUri, request: requestObject });
    return { url: `${this.baseUrl}/auth?${query}`, verifier, state };
  }

  /** Redeems the code from the redirect (query for FAPI 2.0, fragment for `code id_token`). */
  async redeem(redirect: URL, verifier: string, state: string): Promise<string> {
    const parameters = new URLSearchParams(redirect.hash ? redirect.hash.slice(1) : redirect.search);
    if (parameters.get('error')) throw new Error(`the bank returned ${parameters.get('error')}: ${parameters.get('error_description') ?? ''}`);
    if (parameters.get('state') !== state) throw new Error('the redirect carries another state');
    const code = parameters.get('code');
    if (!code) throw new Error(`no code in the redirect ${redirect.href}`);
    const response = await this.request('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'authorization_code', code, redirect_uri: this.redirectUri, code_verifier: verifier, client_id: this.clientId }),
    });
    if (response.status !== 200) throw new Error(`code exchange answered ${response.status}: ${response.text}`);
    return (JSON.parse(response.text) as { access_token: string }).access_token;
  }
}

/** A request to the bank at `baseUrl`, trusting `ca`, with the TPP's transport certificate when given. */
export function send(baseUrl: string, ca: string | undefined, clientCertificate: TppCredentials['transport'] | undefined, pathname: string, request: WireRequest): Promise<WireResponse> {
  return httpsSend(new URL(pathname, baseUrl), {
    ...(request.method ? { method: request.method } : {}),
    ...(request.headers ? { headers: request.headers } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(ca ? { ca } : {}),
    ...(clientCertificate ? { clientCertificate } : {}),
    timeoutMs: 30_000,
  });
}
