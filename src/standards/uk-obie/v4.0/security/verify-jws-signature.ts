import { decodeProtectedHeader } from 'jose';
import { AppError } from '../../../../platform/errors/index.ts';
import { rawBodyOf } from '../../../../platform/http/index.ts';
import { JWS_SIGNATURE_HEADER } from './ob-jws-profile.ts';
import { freshnessOf, verifiedTokenOf, type SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';
import type { TppSigningKeysResolver } from './tpp-signing-keys.ts';
import { verifyDetachedJws } from './verify-detached-jws.ts';

export interface VerifyJwsSignatureOptions {
  /** Where the calling TPP's published signing keys are found (`directoryTppSigningKeys`). */
  readonly signingKeys: TppSigningKeysResolver;
  /** The accepted `http://openbanking.org.uk/tan` values: the directory's (`trustAnchorsOf` its JWKS URL). */
  readonly trustAnchors: readonly string[];
  readonly now?: () => Date;
  /** How old the signature's `iat` may be, in seconds (default 300). */
  readonly maxAgeSeconds?: number;
  /** How far ahead of this server's clock an `iat` may be, in seconds (default 30). */
  readonly clockSkewSeconds?: number;
}

/**
 * The request body carries the calling TPP's detached JWS in `x-jws-signature` (OB v4.0 PIS and VRP
 * OpenAPI: required on every POST; OB "Message Signing", non-repudiation of the payment instruction):
 * PS256, a `kid` the directory publishes for this TPP, `iss` = its `{org_id}/{software_id}`, `tan` =
 * the directory, a fresh `iat`, over the exact body bytes. Any failure is a 400 with the OB Signature.*
 * code. Attach it as a `preValidation` hook (the body must be parsed, by `captureRawBody`'s parser),
 * after the `onRequest` steps that establish the access token; it throws a 500 if either is missing.
 */
export function verifyJwsSignature(options: VerifyJwsSignatureOptions): SecurityStep {
  const now = options.now ?? (() => new Date());
  return async (request) => {
    const header = request.headers[JWS_SIGNATURE_HEADER];
    // Node joins repeated custom headers with ", ", which no compact JWS contains: malformed, below.
    const signature = Array.isArray(header) ? header.join(', ') : header;
    if (signature === undefined || signature === '') {
      throw new AppError(SecurityErrors.JWS_SIGNATURE_MISSING, { details: [{ path: JWS_SIGNATURE_HEADER }] });
    }
    const body = rawBodyOf(request);
    const signer = await options.signingKeys(verifiedTokenOf(request).clientId, { kid: kidOf(signature), asOf: freshnessOf(request) });
    if (!signer) {
      throw new AppError(SecurityErrors.JWS_CLAIM_INVALID, {
        details: [{ message: 'kid: the directory publishes no signing keys for the calling client', path: JWS_SIGNATURE_HEADER }],
      });
    }
    await verifyDetachedJws(signature, body, {
      issuer: `${signer.organisationId}/${signer.softwareId}`,
      trustAnchors: options.trustAnchors,
      keys: signer.keys,
      now: now(),
      maxAgeSeconds: options.maxAgeSeconds,
      clockSkewSeconds: options.clockSkewSeconds,
    });
  };
}

/** The `kid` the signature names, if it can be read; a malformed one is refused by the verification. */
function kidOf(signature: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(signature);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}
