/**
 * How long each authorisation-server artefact lives, in seconds. Short where the artefact is a
 * bearer of authority with no further use after a step; long only where OB needs standing access.
 * docs/authorization-server.md explains each choice.
 */
export const TOKEN_LIFETIMES = {
  /**
   * Client-credentials tokens only create and read consent (intent) resources, a step of seconds
   * in a TPP's flow (OB v4.0 AIS/PIS: "POST /account-access-consents" with a client-credentials
   * token), so 5 minutes bounds the damage of a leaked one.
   */
  clientCredentials: 5 * 60,
  /** Access tokens from an authorisation (PSU-consented) carry account and payment access: 1 hour. */
  accessToken: 60 * 60,
  /** FAPI 2.0 Security Profile §5.3.2.2: authorization codes live at most 60 seconds. */
  authorizationCode: 60,
  /** ID tokens are checked once, when the TPP receives them (as a detached signature or at the token response). */
  idToken: 5 * 60,
  /**
   * Refresh tokens keep long-lived AIS/CBPII consents usable without the PSU (OB v4.0: consents
   * last until the PSU or the TPP revokes them or their ExpirationDateTime); 90 days, after which
   * a refresh rotates them. Revoking the consent revokes the grant and with it every token.
   */
  refreshToken: 90 * 24 * 60 * 60,
  /** The grant (the PSU's authorisation) outlives any one refresh token by design. */
  grant: 365 * 24 * 60 * 60,
  /** A PSU has 10 minutes to log in, pass SCA and choose accounts. */
  interaction: 10 * 60,
  /** The PSU's browser session at the bank: every new consent needs fresh SCA anyway. */
  session: 10 * 60,
  /** Unused flows, kept bounded so a stray feature cannot mint long-lived artefacts. */
  deviceCode: 10 * 60,
  backchannelAuthenticationRequest: 10 * 60,
  preAuthorizedCode: 10 * 60,
} as const;

/**
 * The longest time a JWT this server signed stays worth verifying (ID tokens, JARM responses,
 * signed introspection responses — access and refresh tokens are opaque and never signed). A
 * retired signing key stays in the JWKS this long after retirement, plus a margin for clock skew
 * and clients' JWKS caches.
 */
export const RETIRED_KEY_GRACE_SECONDS = TOKEN_LIFETIMES.idToken + 60 * 60;
