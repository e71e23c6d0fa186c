/**
 * The OB message-signing profile (OB Read/Write API Profile v3.1.4+ and v4.0, "Message Signing"):
 * a compact JWS with a detached, base64url-encoded payload (RFC 7515 Appendix F; `b64` is not
 * used since v3.1.4), signed PS256, whose JOSE header carries three OB claims that `crit` names.
 */
export const OB_JWS_ALG = 'PS256';

/** The private header claims of the profile, each listed in `crit` (RFC 7515 §4.1.11). */
export const OB_JWS_CLAIMS = {
  /** NumericDate the signature was made at. */
  iat: 'http://openbanking.org.uk/iat',
  /** The signer: `{org_id}/{software_id}` for a TPP, the org_id for an ASPSP. */
  iss: 'http://openbanking.org.uk/iss',
  /** The trust anchor whose directory publishes the signer's keys. */
  tan: 'http://openbanking.org.uk/tan',
} as const;

/** `crit` exactly: these three names, no other. */
export const OB_JWS_CRIT: readonly string[] = [OB_JWS_CLAIMS.iat, OB_JWS_CLAIMS.iss, OB_JWS_CLAIMS.tan];

/** The header that carries the signature, on requests and responses alike. */
export const JWS_SIGNATURE_HEADER = 'x-jws-signature';

/**
 * The `tan` values that name a directory: the host of its JWKS endpoints (DESIGN.md §3). Both the
 * `host` (with a non-default port) and the bare `hostname` are accepted, since TPP tools differ on
 * which one they take from the JWKS URL; neither adds or removes trust, the keys come from that directory.
 */
export function trustAnchorsOf(jwksEndpoint: string): string[] {
  const url = new URL(jwksEndpoint);
  return [...new Set([url.host, url.hostname])];
}
