import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { AppError } from '../../platform/errors/index.ts';
import type { Jwks } from '../directory/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientsContext } from './ports.ts';
import type { TransportIdentity } from './require-transport-certificate.ts';
import { SIGNING_ALGS } from './tpp-client.ts';
import { verifySoftwareStatement, type SoftwareStatementClaims } from './verify-software-statement.ts';
import { verifyQsealcRegistration } from './verify-qsealc-registration.ts';
import { checkNotReplayed, verifyRequestSignature } from './verify-request-signature.ts';

export interface VerifiedRegistrationRequest {
  /** The registration request's claims: RFC 7591 client metadata plus the JWT claims. */
  readonly claims: JWTPayload;
  readonly softwareStatement: string;
  readonly ssa: SoftwareStatementClaims;
  /** The software's public signing keys, as the directory publishes them now. */
  readonly softwareJwks: Jwks;
}

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
    const verified = await verifyQsealcRegistration(context, requestJwt, transport, { kid, x5c });
    await checkNotReplayed(context, verified.ssa.softwareId, verified.claims['jti']);
    return verified;
  }
  const ssa = await verifySoftwareStatement(context, softwareStatement);
  if (ssa.organisationId !== transport.organisation.id) throw new AppError(ClientsErrors.CERTIFICATE_ORGANISATION_MISMATCH);
  await checkSoftwareApproved(context, ssa);

  const softwareJwks = await context.directory.softwareSigningKeys({ softwareId: ssa.softwareId, jwksEndpoint: ssa.jwksEndpoint });
  const claims = await verifyRequestSignature(context, requestJwt, createLocalJWKSet(softwareJwks), { value: ssa.softwareId, rule: 'iss must be the software_id of the software statement' });
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
