import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { OpsSingleSignOn } from '../ui/ops/index.ts';

export interface OpsOidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly usernameClaim: string;
}

interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
}

/**
 * The console's OpenID provider client (OPS_OIDC_*): discovery (OpenID Connect Discovery §4), the
 * authorisation code exchanged with client_secret_basic (RFC 6749 §2.3.1) and PKCE, the ID token
 * verified against the provider's JWKS (Core §3.1.3.7: issuer, audience, signature, expiry, nonce).
 */
export function opsSingleSignOn(settings: OpsOidcSettings, fetchImpl: typeof fetch = fetch): OpsSingleSignOn {
  let discovered: Promise<{ discovery: Discovery; keys: JWTVerifyGetKey }> | undefined;
  const discover = () =>
    (discovered ??= (async () => {
      const response = await fetchImpl(`${settings.issuer}/.well-known/openid-configuration`);
      if (!response.ok) throw new Error(`OIDC discovery answered ${response.status}`);
      const discovery = (await response.json()) as Discovery;
      // Discovery §4.3: the issuer it names must be the one configured.
      if (discovery.issuer.replace(/\/+$/, '') !== settings.issuer) throw new Error(`OIDC discovery names issuer ${discovery.issuer}, not ${settings.issuer}`);
      return { discovery, keys: createRemoteJWKSet(new URL(discovery.jwks_uri)) };
    })().catch((error: unknown) => {
      discovered = undefined;
      throw error;
    }));
  return {
    async authorisationUrl({ state, nonce, codeChallenge, redirectUri }) {
      const { discovery } = await discover();
      const url = new URL(discovery.authorization_endpoint);
      for (const [name, value] of Object.entries({ response_type: 'code', client_id: settings.clientId, redirect_uri: redirectUri, scope: 'openid profile email', state, nonce, code_challenge: codeChallenge, code_challenge_method: 'S256' })) {
        url.searchParams.set(name, value);
      }
      return url.toString();
    },
    async username({ code, codeVerifier, nonce, redirectUri }) {
      const { discovery, keys } = await discover();
      const response = await fetchImpl(discovery.token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }).toString(),
      });
      if (!response.ok) throw new Error(`OIDC token endpoint answered ${response.status}`);
      const { id_token: idToken } = (await response.json()) as { id_token?: string };
      if (!idToken) throw new Error('OIDC token response has no id_token');
      const { payload } = await jwtVerify(idToken, keys, { issuer: discovery.issuer, audience: settings.clientId });
      if (payload['nonce'] !== nonce) throw new Error('OIDC ID token nonce does not match');
      const username = payload[settings.usernameClaim];
      if (typeof username !== 'string' || username === '') throw new Error(`OIDC ID token has no ${settings.usernameClaim} claim`);
      return username;
    },
  };
}
