import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../../platform/errors/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientsContext } from './ports.ts';
import { SIGNING_ALGS } from './tpp-client.ts';

/** A request's iat may be this old (and the replay cache remembers its jti this long). */
const MAX_REQUEST_AGE_SECONDS = 60 * 60;
const CLOCK_TOLERANCE_SECONDS = 60;

export const claimInvalid = (message: string) => new AppError(ClientsErrors.REQUEST_CLAIM_INVALID, { message: `The registration request is invalid: ${message}` });

/** The `aud` a registration request may name: the issuer, or the bank's org_id. */
const audienceOf = (context: ClientsContext) => [context.issuer, ...(context.aspspOrganisationId ? [context.aspspOrganisationId] : [])];

/**
 * The registration request's signature and claims, whatever vouches for its key (the software's
 * JWKS, or the TPP's seal): PS256/ES256, `aud` the issuer or the bank's org_id, a fresh `iat`, an
 * unexpired `exp`, a `jti`, and `iss` when `issuer` says what it must be (with the rule a refusal
 * names). A failed claim is `REQUEST_CLAIM_INVALID`, anything else `REQUEST_SIGNATURE_INVALID`.
 */
export async function verifyRequestSignature(
  context: ClientsContext,
  requestJwt: string,
  key: JWTVerifyGetKey,
  issuer?: { readonly value: string; readonly rule: string },
): Promise<JWTPayload> {
  const audience = audienceOf(context);
  try {
    const { payload } = await jwtVerify(requestJwt, key, {
      algorithms: [...SIGNING_ALGS],
      ...(issuer ? { issuer: issuer.value } : {}),
      audience,
      requiredClaims: issuer ? ['iat', 'exp', 'jti'] : ['iss', 'iat', 'exp', 'jti'],
      maxTokenAge: MAX_REQUEST_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(context.now ? { currentDate: context.now() } : {}),
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
      throw claimInvalid(error.claim === 'iss' && issuer ? issuer.rule : error.claim === 'aud' ? `aud must be one of: ${audience.join(', ')}` : error.message);
    }
    throw new AppError(ClientsErrors.REQUEST_SIGNATURE_INVALID, { cause: error });
  }
}

/** RFC 7519 §4.1.7: a `jti` is used once; remembered for as long as its request could be accepted. */
export async function checkNotReplayed(context: ClientsContext, softwareId: string, jti: unknown): Promise<void> {
  if (typeof jti !== 'string' || jti === '' || jti.length > 255) throw claimInvalid('jti must be a string of 1 to 255 characters');
  const fresh = await context.cache.setIfAbsent(`clients:dcr-jti:${softwareId}:${jti}`, '1', MAX_REQUEST_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS);
  if (!fresh) throw new AppError(ClientsErrors.REQUEST_REPLAYED);
}
