import type { IncomingMessage } from 'node:http';
import { errors, type Client, type Configuration, type FindAccount, type KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../platform/db/index.ts';
import type { ClientCertificate } from '../platform/http/index.ts';
import { AUTHORIZATION_SERVER_ROUTES } from './authorization-server-routes.ts';
import { clientCertificateOf } from './client-certificate-bridge.ts';
import { OB_CLIENT_METADATA, validateObClientMetadata } from './ob-client-metadata.ts';
import { createOidcAdapter, type OidcAdapterOptions } from './oidc-adapter.ts';
import { grantOfThisInteraction, scaPerRequestPolicy } from './interaction-policy.ts';
import { SIGNING_ALGS } from './signing-keys.ts';
import { RingProviderKey } from './ring-provider-key.ts';
import type { SigningKeyRing } from './signing-key-ring.ts';
import { subjectDnMatches } from './subject-dn-matches.ts';
import { TOKEN_LIFETIMES } from './token-lifetimes.ts';

export type FapiProfile = '1.0 Final' | '2.0';

/** Client metadata naming the FAPI profile a client is held to (set by the DCR facade). */
export const FAPI_PROFILE_METADATA = 'fapi_profile';
const FAPI_PROFILES: readonly FapiProfile[] = ['1.0 Final', '2.0'];

/** The scopes of UK OB v4.0: AIS, PIS (incl. VRP) and CBPII, plus OIDC's `openid`. */
export const OB_SCOPES = ['openid', 'accounts', 'payments', 'fundsconfirmations'] as const;

export interface ProviderConfigurationOptions {
  readonly db: Db;
  /** The bank's signing keys; oidc-provider signs through them (and follows their rotations). */
  readonly signingKeys: SigningKeyRing;
  /**
   * The FAPI profile for a request's client (oidc-provider `features.fapi.profile`). Default: the
   * client's `fapi_profile` metadata, else FAPI 1.0 Advanced Final, which the UK OB Security
   * Profile is built on.
   */
  readonly fapiProfile?: (client: Client | undefined) => FapiProfile | undefined;
  /**
   * The bank's default profile (config `FAPI_PROFILE`): for a client without `fapi_profile`
   * metadata, and, when '2.0', every authorisation request must be pushed (FAPI 2.0 §5.3.1.2, PAR).
   */
  readonly defaultFapiProfile?: FapiProfile;
  /**
   * Whether a presented client certificate chains to a trust anchor the bank accepts for
   * `tls_client_auth` (RFC 8705 §2.1). Must be synchronous (oidc-provider calls it so). Default:
   * verified at this server's TLS handshake, or forwarded by the trusted TLS-terminating proxy.
   * Sandbox mode reads the directory's verdict recorded on the request (certificate-trust.ts).
   */
  readonly certificateTrusted?: (certificate: ClientCertificate, request: IncomingMessage) => boolean;
  /** OB DCR v3.4 registration endpoint to advertise in discovery (RFC 8414 §2), when served. */
  readonly registrationEndpoint?: string;
  /** PSU accounts for ID tokens and userinfo; the PSU-identity module provides it later. */
  readonly findAccount?: FindAccount;
  /** The clock stored artefacts expire by (tests). */
  readonly now?: () => Date;
  /** Told when stored artefacts stop being usable (the resource side's token cache drops them). */
  readonly onInvalidated?: (kind: string, ids: readonly string[]) => Promise<void>;
  /** Told when an artefact is stored (the resource side's token cache holds a new token before its first use). */
  readonly onSaved?: OidcAdapterOptions['onSaved'];
  /** Keys signing interaction and session cookies, shared by every instance (newest first). */
  readonly cookieKeys?: readonly string[];
  /** Where the PSU pages take over an authorisation (login, SCA, consent). */
  readonly interactionUrl?: (uid: string) => string;
  /**
   * The page shown when an error cannot be redirected to the TPP (oidc-provider `renderError`):
   * the bank's own page and its Content-Security-Policy. Default: a bare page naming the OAuth error.
   */
  readonly errorPage?: { readonly render: () => string; readonly contentSecurityPolicy: string };
  /** Claims stored with each access token (e.g. the consent it acts under). */
  readonly extraTokenClaims?: (ctx: KoaContextWithOIDC, token: { grantId?: string }) => Promise<Record<string, unknown> | undefined>;
}

const defaultFapiProfile =
  (fallback: FapiProfile) =>
  (client: Client | undefined): FapiProfile => {
    const chosen = client?.[FAPI_PROFILE_METADATA];
    return FAPI_PROFILES.includes(chosen as FapiProfile) ? (chosen as FapiProfile) : fallback;
  };

const defaultCertificateTrusted = (certificate: ClientCertificate): boolean => certificate.transportTrusted;

const subjectOnlyFindAccount: FindAccount = async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) });

const htmlEscape = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const signingAlgs = [...SIGNING_ALGS];

/** The oidc-provider configuration for a UK OB / FAPI authorisation server. */
export function buildProviderConfiguration(options: ProviderConfigurationOptions): Configuration {
  const bankProfile = options.defaultFapiProfile ?? '1.0 Final';
  const fapiProfile = options.fapiProfile ?? defaultFapiProfile(bankProfile);
  const certificateTrusted = options.certificateTrusted ?? defaultCertificateTrusted;
  return {
    // Never the memory adapter: every instance shares this state (DESIGN.md §1).
    adapter: createOidcAdapter(options.db, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.onInvalidated ? { onInvalidated: options.onInvalidated } : {}),
      ...(options.onSaved ? { onSaved: options.onSaved } : {}),
    }),
    // One key object per algorithm standing for whichever key of the ring signs now (ring-provider-key.ts).
    jwks: { keys: SIGNING_ALGS.map((alg) => new RingProviderKey(options.signingKeys, alg)) },
    routes: AUTHORIZATION_SERVER_ROUTES,
    findAccount: options.findAccount ?? subjectOnlyFindAccount,
    ...(options.cookieKeys ? { cookies: { keys: [...options.cookieKeys] } } : {}),
    // Every authorisation request gets its own login (SCA) and its own consent decision.
    interactions: {
      policy: scaPerRequestPolicy(),
      ...(options.interactionUrl ? { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => options.interactionUrl!(interaction.uid) } : {}),
    },
    loadExistingGrant: grantOfThisInteraction,
    ...(options.extraTokenClaims ? { extraTokenClaims: options.extraTokenClaims as Configuration['extraTokenClaims'] } : {}),

    // The DCR facade is not oidc-provider's registration feature, so discovery names it explicitly.
    ...(options.registrationEndpoint ? { discovery: { registration_endpoint: options.registrationEndpoint } } : {}),
    scopes: [...OB_SCOPES],
    claims: {
      openid: ['sub'],
      acr: null,
      auth_time: null,
      // OB Security Profile: the ID token names the consent (intent) the PSU authorised.
      openbanking_intent_id: null,
    },
    acrValues: ['urn:openbanking:psd2:sca', 'urn:openbanking:psd2:ca'],
    subjectTypes: ['public'],
    // FAPI 1.0 Adv §5.2.2-2: `code id_token`, or `code` with JARM; FAPI 2.0 uses `code` (+ PAR).
    responseTypes: ['code id_token', 'code'],
    // FAPI 1.0 Adv §5.2.2-14: only mTLS or private_key_jwt client authentication (no secrets).
    clientAuthMethods: ['private_key_jwt', 'tls_client_auth'],
    // FAPI 1.0 Adv §8.6: PS256 or ES256 only, everywhere a JWS is made or accepted.
    enabledJWA: {
      clientAuthSigningAlgValues: signingAlgs,
      idTokenSigningAlgValues: signingAlgs,
      requestObjectSigningAlgValues: signingAlgs,
      authorizationSigningAlgValues: signingAlgs,
      userinfoSigningAlgValues: signingAlgs,
      introspectionSigningAlgValues: signingAlgs,
    },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'PS256',
      authorization_signed_response_alg: 'PS256',
      // FAPI 1.0 Adv §5.2.2-5/-6 and FAPI 2.0 §5.3.2.1: sender-constrained (RFC 8705 §3) tokens only.
      tls_client_certificate_bound_access_tokens: true,
      // FAPI 1.0 Adv §5.2.2-1: authorisation requests are signed request objects (JAR, RFC 9101).
      // Fail closed here; the DCR facade relaxes it only for FAPI 2.0 clients that use PAR.
      require_signed_request_object: true,
    },
    extraClientMetadata: {
      properties: [FAPI_PROFILE_METADATA, ...OB_CLIENT_METADATA],
      validator(_ctx, key, value) {
        validateObClientMetadata(key, value);
        if (key === FAPI_PROFILE_METADATA && value !== undefined && !FAPI_PROFILES.includes(value as FapiProfile)) {
          throw new errors.InvalidClientMetadata(`${FAPI_PROFILE_METADATA} must be one of ${FAPI_PROFILES.join(', ')}`);
        }
      },
    },

    features: {
      // Production must never accept any username and password (oidc-provider's dev views).
      devInteractions: { enabled: false },
      // Signing through the key ring: keys in an HSM or Vault, and rotation without a restart.
      externalSigningSupport: { enabled: true, ack: 'experimental-01' },
      fapi: { enabled: true, profile: (ctx: KoaContextWithOIDC, client?: Client) => fapiProfile(client ?? ctx.oidc?.client) },
      clientCredentials: { enabled: true },
      claimsParameter: { enabled: true },
      introspection: {
        enabled: true,
        // RFC 7662 §4: a TPP may only learn about its own tokens; another's read as inactive.
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        // RFC 7009 §2.1: the token must have been issued to the requesting client.
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId !== client.clientId) throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
          return true;
        },
      },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        // OB transport certificates are issued by QTSPs / the OB directory: PKI only, never self-signed.
        selfSignedTlsClientAuth: false,
        getCertificate: (ctx) => clientCertificateOf(ctx.req)?.pem,
        certificateAuthorized: (ctx) => {
          const certificate = clientCertificateOf(ctx.req);
          return certificate !== undefined && certificateTrusted(certificate, ctx.req);
        },
        certificateSubjectMatches: (ctx, property, expected) => {
          const certificate = clientCertificateOf(ctx.req);
          // Only the subject DN is supported so far (RFC 8705 §2.1.2); SAN-based registrations fail closed.
          return certificate !== undefined && property === 'tls_client_auth_subject_dn' && subjectDnMatches(certificate.pem, expected);
        },
      },
      // UK OB binds tokens with mTLS (RFC 8705). DPoP (RFC 9449), FAPI 2.0's other binding, is on
      // by default in oidc-provider; it stays off until a FAPI 2.0 client needs it (PS256/ES256 only).
      dPoP: { enabled: false },
      // FAPI 2.0 §5.3.1.2: PAR only when it is the bank's profile (discovery then says
      // `require_pushed_authorization_requests: true`); FAPI 1.0 clients may push their request objects.
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: bankProfile === '2.0' },
      requestObjects: { enabled: true, requireSignedRequestObject: false },
      jwtResponseModes: { enabled: true },
      // One resource server (the OB APIs on this origin): tokens stay opaque and audience-free;
      // enabling RFC 8707 becomes useful once APIs live on other origins.
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      // OB DCR v3.4 is a custom facade at /register that stores clients through the adapter.
      registration: { enabled: false },
      userinfo: { enabled: true },
    },

    // FAPI 2.0 §5.3.2.2 and FAPI 1.0 Adv §5.2.2-18 (PAR): PKCE with S256 (the only method
    // oidc-provider offers) for every authorisation request, not only public clients.
    pkce: { required: () => true },
    // TPPs call from servers; no browser origin is ever allowed to read these endpoints' responses.
    clientBasedCORS: () => false,
    // FAPI 1.0 Baseline §5.2.2: redirect_uri is always in the request.
    allowOmittingSingleRegisteredRedirectUri: false,
    // OB access lives as long as the consent, not the PSU's browser session at the bank.
    expiresWithSession: async () => false,
    // Refresh tokens for standing access only (AIS and CBPII consents); payments are one-off.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && (code.scopes.has('accounts') || code.scopes.has('fundsconfirmations')),
    ttl: {
      AccessToken: TOKEN_LIFETIMES.accessToken,
      ClientCredentials: TOKEN_LIFETIMES.clientCredentials,
      AuthorizationCode: TOKEN_LIFETIMES.authorizationCode,
      IdToken: TOKEN_LIFETIMES.idToken,
      RefreshToken: TOKEN_LIFETIMES.refreshToken,
      Grant: TOKEN_LIFETIMES.grant,
      Interaction: TOKEN_LIFETIMES.interaction,
      Session: TOKEN_LIFETIMES.session,
      DeviceCode: TOKEN_LIFETIMES.deviceCode,
      BackchannelAuthenticationRequest: TOKEN_LIFETIMES.backchannelAuthenticationRequest,
      PreAuthorizedCode: TOKEN_LIFETIMES.preAuthorizedCode,
    },
    // Shown only when an error cannot be redirected to the TPP (unknown client or redirect_uri).
    // No internals: the bank's page says what happened in plain words; the default names the OAuth error.
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.set('cache-control', 'no-store');
      if (options.errorPage) {
        ctx.set('content-security-policy', options.errorPage.contentSecurityPolicy);
        ctx.body = options.errorPage.render();
        return;
      }
      ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Authorisation failed</title></head><body><h1>Authorisation failed</h1><p>${htmlEscape(out.error)}${out.error_description ? `: ${htmlEscape(out.error_description)}` : ''}</p></body></html>`;
    },
  };
}
