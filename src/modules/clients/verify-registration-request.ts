import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../../platform/errors/index.ts';
import type { Jwks } from '../directory/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientsContext } from './ports.ts';
import type { TransportIdentity } from './require-transport-certificate.ts';
import { SIGNING_ALGS } from './tpp-client.ts';
import { verifySoftwareStatement, type SoftwareStatementClaims } from './verify-software-statement.ts';
import { verifyQsealcRegistration } from './verify-qsealc-registration.ts';

export interface VerifiedRegistrationRequest {
  /** The registration request's claims: RFC 7591 client metadata plus the JWT claims. */
  readonly claims: JWTPayload;
  readonly softwareStatement: string;
  readonly ssa: SoftwareStatementClaims;
  /** The software's public signing keys, as the directory publishes them now. */
  readonly softwareJwks: Jwks;
}

/** A request's iat may be this old (and the replay cache remembers its jti this long). */
const MAX_REQUEST_AGE_SECONDS = 60 * 60;
const CLOCK_TOLERANCE_SECONDS = 60;

const claimInvalid = (message: string) => new AppError(ClientsErrors.REQUEST_CLAIM_INVALID, { message: `The registration request is invalid: ${message}` });

function decode(requestJwt: string): { alg: unknown; kid: unknown; x5c: unknown; payload: JWTPayload } {
  try {
    const header = decodeProtectedHeader(requestJwt);
    return { alg: header.alg, kid: header.kid, x5c: header.x5c, payload: decodeJwt(requestJwt) };
  } catch (error) {
    throw new AppError(ClientsErrors.REQUEST_MALFORMED, { cause: error });
  }
}

/**
 * Security step `verify-jws-signature` for OB DCR v3.4 registration requests, in order:
 * 1. a JWS with PS256/ES256 (never `none`, FAPI 1.0 Adv §8.6) naming its key (kid);
 * 2. its software_statement is an SSA the directory signed, for the organisation of the
 *    transport certificate, and the software and organisation are still Active;
 * 3. the signature verifies with a key of that software's JWKS as the directory publishes it now
 *    (the SSA's software_jwks_endpoint), `iss` = software_id, `aud` = the
 *    issuer or the bank's org_id, fresh `iat`, unexpired `exp`, a `jti` never seen before.
 */
export async function verifyRegistrationRequest(context: ClientsContext, requestJwt: string, transport: TransportIdentity): Promise<VerifiedRegistrationRequest> {
  const { alg, kid, x5c, payload: unverified } = decode(requestJwt);
  if (!(SIGNING_ALGS as readonly unknown[]).includes(alg)) throw new AppError(ClientsErrors.REQUEST_ALG_UNSUPPORTED);
  if (typeof kid !== 'string' || kid === '') throw new AppError(ClientsErrors.REQUEST_KID_MISSING);

  const softwareStatement = unverified['software_statement'];
  if (softwareStatement === undefined && context.registrationWithoutSoftwareStatement) {
    const verified = await verifyQsealcRegistration(context, requestJwt, transport, { kid, x5c }, audienceOf(context));
    await checkNotReplayed(context, verified.ssa.softwareId, verified.claims['jti']);
    return verified;
  }
  const ssa = await verifySoftwareStatement(context, softwareStatement);
  if (ssa.organisationId !== transport.organisation.id) throw new AppError(ClientsErrors.CERTIFICATE_ORGANISATION_MISMATCH);
  await checkSoftwareApproved(context, ssa);

  const softwareJwks = await context.directory.softwareSigningKeys({ softwareId: ssa.softwareId, jwksEndpoint: ssa.jwksEndpoint });
  const claims = await verifySignature(context, requestJwt, ssa, softwareJwks);
  await checkNotReplayed(context, ssa.softwareId, claims['jti']);
  return { claims, softwareStatement: softwareStatement as string, ssa, softwareJwks };
}

/** OB DCR v3.4 `unapproved_software_statement`: the directory no longer vouches for the software. */
async function checkSoftwareApproved(context: ClientsContext, ssa: SoftwareStatementClaims): Promise<void> {
  const software = await context.directory.findSoftwareStatement(ssa.softwareId);
  if (!software || software.status !== 'Active' || software.organisationId !== ssa.organisationId || ssa.organisationStatus !== 'Active') {
    throw new AppError(ClientsErrors.SOFTWARE_STATEMENT_UNAPPROVED);
  }
}

/** The `aud` a registration request may name: the issuer, or the bank's org_id. */
const audienceOf = (context: ClientsContext) => [context.issuer, ...(context.aspspOrganisationId ? [context.aspspOrganisationId] : [])];

async function verifySignature(context: ClientsContext, requestJwt: string, ssa: SoftwareStatementClaims, jwks: Jwks): Promise<JWTPayload> {
  const audience = audienceOf(context);
  try {
    const { payload } = await jwtVerify(requestJwt, createLocalJWKSet(jwks), {
      algorithms: [...SIGNING_ALGS],
      issuer: ssa.softwareId,
      audience,
      requiredClaims: ['iat', 'exp', 'jti'],
      maxTokenAge: MAX_REQUEST_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(context.now ? { currentDate: context.now() } : {}),
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
      throw claimInvalid(claimRule(error.claim, audience, error.message));
    }
    throw new AppError(ClientsErrors.REQUEST_SIGNATURE_INVALID, { cause: error });
  }
}

/** What a failed claim had to be: the accepted values where they are public (DESIGN.md §3: `aud`). */
function claimRule(claim: string, audience: readonly string[], fallback: string): string {
  if (claim === 'iss') return 'iss must be the software_id of the software statement';
  if (claim === 'aud') return `aud must be one of: ${audience.join(', ')}`;
  return fallback;
}

/** RFC 7519 §4.1.7: a `jti` is used once; remembered for as long as its request could be accepted. */
async function checkNotReplayed(context: ClientsContext, softwareId: string, jti: unknown): Promise<void> {
  if (typeof jti !== 'string' || jti === '' || jti.length > 255) throw claimInvalid('jti must be a string of 1 to 255 characters');
  const fresh = await context.cache.setIfAbsent(`clients:dcr-jti:${softwareId}:${jti}`, '1', MAX_REQUEST_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS);
  if (!fresh) throw new AppError(ClientsErrors.REQUEST_REPLAYED);
}
