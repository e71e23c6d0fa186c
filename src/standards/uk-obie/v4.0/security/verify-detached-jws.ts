import { flattenedVerify, importJWK, type JWK } from 'jose';
import { AppError, type ErrorDefinition } from '../../../../platform/errors/index.ts';
import { JWS_SIGNATURE_HEADER, OB_JWS_ALG, OB_JWS_CLAIMS, OB_JWS_CRIT } from './ob-jws-profile.ts';
import { boundedMemo, type BoundedMemo } from '../../../../platform/memo/index.ts';
import { SecurityErrors } from './security.errors.ts';

export interface DetachedJwsExpectations {
  /** The `http://openbanking.org.uk/iss` the signer must state: `{org_id}/{software_id}` of the calling TPP. */
  readonly issuer: string;
  /** The accepted `http://openbanking.org.uk/tan` values (see `trustAnchorsOf`). */
  readonly trustAnchors: readonly string[];
  /** The signer's published signing keys (its JWKS at the directory); the header's `kid` picks one. */
  readonly keys: readonly JWK[];
  readonly now: Date;
  /** How old an `iat` may be, in seconds (default 300). */
  readonly maxAgeSeconds?: number | undefined;
  /** How far ahead of `now` an `iat` may be, for clocks that differ (default 30 s). */
  readonly clockSkewSeconds?: number | undefined;
}

export interface VerifiedDetachedJws {
  /** The signing key: the `kid` of a key in the signer's JWKS. */
  readonly kid: string;
  readonly issuedAt: Date;
}

export const DEFAULT_JWS_MAX_AGE_SECONDS = 300;
export const DEFAULT_JWS_CLOCK_SKEW_SECONDS = 30;

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// jose enforces the same set when it verifies: a header naming anything else in crit fails there too.
const RECOGNISED_CRIT = Object.fromEntries(OB_JWS_CRIT.map((name) => [name, true]));

const refuse = (definition: ErrorDefinition, message: string, cause?: unknown) =>
  new AppError(definition, { details: [{ message, path: JWS_SIGNATURE_HEADER }], ...(cause === undefined ? {} : { cause }) });
const malformed = (message: string) => refuse(SecurityErrors.JWS_SIGNATURE_MALFORMED, message);
const missingClaim = (claim: string) => refuse(SecurityErrors.JWS_CLAIM_MISSING, `The JOSE header must carry ${claim}`);
const invalidClaim = (claim: string, rule: string) => refuse(SecurityErrors.JWS_CLAIM_INVALID, `${claim} ${rule}`);

/**
 * Verifies an OB detached JWS (`x-jws-signature`) over the exact bytes of a body, as the OB
 * Read/Write API Profile's "Process for Verifying a Signature" describes, and throws the AppError of
 * the first rule broken (OB error codes Signature.Missing, .Malformed, .MissingClaim, .InvalidClaim,
 * .Invalid). Only PS256 with a key the signer publishes is ever accepted: a header's `alg`, `jwk`,
 * `jku` or `x5c` never chooses the algorithm or the key.
 */
export async function verifyDetachedJws(signature: string | undefined, body: Uint8Array, expected: DetachedJwsExpectations): Promise<VerifiedDetachedJws> {
  if (signature === undefined || signature === '') throw refuse(SecurityErrors.JWS_SIGNATURE_MISSING, `${JWS_SIGNATURE_HEADER} is required`);
  const parts = signature.split('.');
  if (parts.length !== 3) throw malformed('A detached JWS has three parts: header..signature');
  const [encodedHeader = '', encodedPayload, encodedSignature = ''] = parts;
  // RFC 7515 Appendix F: the payload travels as the HTTP body, never inside the JWS.
  if (encodedPayload !== '') throw malformed('The payload part must be empty: the JWS is detached, the body is its payload');
  if (encodedHeader === '' || !BASE64URL.test(encodedHeader) || !BASE64URL.test(encodedSignature)) throw malformed('The header and signature must be base64url');
  const header = decodeHeader(encodedHeader);
  const issuedAt = checkHeader(header, expected);
  const kid = header['kid'] as string;
  const key = await publicKeyFor(kid, expected.keys);
  try {
    // b64 is absent (checked above), so the signing input is BASE64URL(header) '.' BASE64URL(body) (RFC 7515 §5.2).
    await flattenedVerify(
      { protected: encodedHeader, payload: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64url'), signature: encodedSignature },
      key,
      { algorithms: [OB_JWS_ALG], crit: RECOGNISED_CRIT },
    );
  } catch (error) {
    throw refuse(SecurityErrors.JWS_SIGNATURE_INVALID, 'The signature does not verify over the body with the key kid names', error);
  }
  return { kid, issuedAt };
}

function decodeHeader(encoded: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw malformed('The JOSE header is not base64url-encoded JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw malformed('The JOSE header must be a JSON object');
  return header as Record<string, unknown>;
}

/** The profile's JOSE header rules; returns the `iat`. */
function checkHeader(header: Record<string, unknown>, expected: DetachedJwsExpectations): Date {
  // OB v3.1.4+: `b64` must not be used (RFC 7797 unencoded payloads were the v3.1.3-and-earlier profile).
  if ('b64' in header) throw invalidClaim('b64', 'must not be used: the payload is base64url-encoded (OB v3.1.4+)');
  // FAPI 1.0 Adv §8.6 and the OB profile: PS256 only. Never none, HS* (a public key as HMAC secret) or RS256.
  if (header['alg'] === undefined) throw missingClaim('alg');
  if (header['alg'] !== OB_JWS_ALG) throw invalidClaim('alg', `must be ${OB_JWS_ALG}`);
  if (header['kid'] === undefined) throw missingClaim('kid');
  if (typeof header['kid'] !== 'string' || header['kid'] === '') throw invalidClaim('kid', 'must be a non-empty string');
  if (header['typ'] !== undefined && (typeof header['typ'] !== 'string' || header['typ'].toUpperCase() !== 'JOSE')) throw invalidClaim('typ', 'must be JOSE when present');
  // RFC 7515 §4.1.10: `json` is `application/json` with the prefix left out.
  if (header['cty'] !== undefined && !(typeof header['cty'] === 'string' && ['application/json', 'json'].includes(header['cty'].toLowerCase()))) {
    throw invalidClaim('cty', 'must be application/json when present');
  }
  const crit = header['crit'];
  if (crit === undefined) throw missingClaim('crit');
  if (!Array.isArray(crit) || crit.length !== OB_JWS_CRIT.length || new Set(crit).size !== crit.length || !crit.every((name) => OB_JWS_CRIT.includes(name as string))) {
    throw invalidClaim('crit', `must list exactly ${OB_JWS_CRIT.join(', ')}`);
  }

  const iat = header[OB_JWS_CLAIMS.iat];
  if (iat === undefined) throw missingClaim(OB_JWS_CLAIMS.iat);
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalidClaim(OB_JWS_CLAIMS.iat, 'must be a NumericDate (seconds since the epoch)');
  const now = expected.now.getTime() / 1000;
  if (iat > now + (expected.clockSkewSeconds ?? DEFAULT_JWS_CLOCK_SKEW_SECONDS)) throw invalidClaim(OB_JWS_CLAIMS.iat, 'must not be in the future');
  if (iat < now - (expected.maxAgeSeconds ?? DEFAULT_JWS_MAX_AGE_SECONDS)) throw invalidClaim(OB_JWS_CLAIMS.iat, 'is too old');

  const iss = header[OB_JWS_CLAIMS.iss];
  if (iss === undefined) throw missingClaim(OB_JWS_CLAIMS.iss);
  // The caller's own identity, so saying it reveals nothing it does not hold.
  if (iss !== expected.issuer) throw invalidClaim(OB_JWS_CLAIMS.iss, `must be {org_id}/{software_id} of the calling client: ${expected.issuer}`);

  const tan = header[OB_JWS_CLAIMS.tan];
  if (tan === undefined) throw missingClaim(OB_JWS_CLAIMS.tan);
  if (typeof tan !== 'string' || !expected.trustAnchors.includes(tan)) throw invalidClaim(OB_JWS_CLAIMS.tan, `must name the directory that publishes the signer's keys: ${expected.trustAnchors.join(' or ')}`);
  return new Date(iat * 1000);
}

/**
 * The signer's published key `kid` names, as a PS256 verification key: an RSA signing key (`use`
 * sig or absent, `alg` PS256 or absent). Only its public members are imported. OB error code set,
 * Signature.InvalidClaim: "a kid that does not resolve to a valid certificate".
 */
async function publicKeyFor(kid: string, keys: readonly JWK[]) {
  const jwk = keys.find(
    (candidate) =>
      candidate.kid === kid && candidate.kty === 'RSA' && (candidate.use === undefined || candidate.use === 'sig') && (candidate.alg === undefined || candidate.alg === OB_JWS_ALG),
  );
  const unresolved = () => invalidClaim('kid', 'does not name a signing key the directory publishes for the calling client');
  if (!jwk || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw unresolved();
  try {
    return await importedPublicKeys.memo(`${jwk.n}.${jwk.e}`);
  } catch {
    throw unresolved();
  }
}

type ImportedKey = ReturnType<typeof importJWK>;
/** Imported RSA public keys by `n.e`: importing is the same work for every request a key signs. */
const importedPublicKeys: BoundedMemo<string, ImportedKey> = boundedMemo<string, ImportedKey>(1000, (members) => {
  const [n, e] = members.split('.');
  const imported = importJWK({ kty: 'RSA', n, e }, OB_JWS_ALG);
  // A key that does not import is refused now and imported (and refused) again next time.
  imported.catch(() => importedPublicKeys.delete(members));
  return imported;
});
