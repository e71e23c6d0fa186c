import { jwtVerify, type JWTPayload } from 'jose';
import { AppError, isAppError } from '../../platform/errors/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientsContext } from './ports.ts';

/** The OB SSA claims registration relies on (OB DCR v3.4 "Software Statement Assertion"). */
export interface SoftwareStatementClaims {
  readonly softwareId: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly organisationStatus: string;
  readonly clientName: string;
  readonly roles: string[];
  readonly redirectUris: string[];
  readonly jwksEndpoint: string;
}

const invalid = (message: string) =>
  new AppError(ClientsErrors.SOFTWARE_STATEMENT_INVALID, { message: `${ClientsErrors.SOFTWARE_STATEMENT_INVALID.message}: ${message}` });

function stringClaim(payload: JWTPayload, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string' || value === '') throw invalid(`${name} must be a non-empty string`);
  return value;
}

function stringsClaim(payload: JWTPayload, name: string): string[] {
  const value = payload[name];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw invalid(`${name} must be an array of strings`);
  return value as string[];
}

/**
 * The SSA must be a JWT signed by the directory (its JWKS, PS256/ES256), issued by it
 * (`iss` as the directory sets it), and carry the claims registration relies on.
 */
export async function verifySoftwareStatement(context: ClientsContext, softwareStatement: unknown): Promise<SoftwareStatementClaims> {
  if (typeof softwareStatement !== 'string' || softwareStatement === '') throw invalid('software_statement is required');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(softwareStatement, context.directory.softwareStatementKeys, {
      algorithms: ['PS256', 'ES256'],
      issuer: context.directory.softwareStatementIssuer,
      clockTolerance: 60,
      ...(context.now ? { currentDate: context.now() } : {}),
    }));
  } catch (error) {
    // The directory could not be asked (its own error, e.g. unavailable): no verdict on the SSA.
    if (isAppError(error)) throw error;
    throw invalid((error as Error).message || 'it does not verify');
  }
  return {
    softwareId: stringClaim(payload, 'software_id'),
    organisationId: stringClaim(payload, 'org_id'),
    organisationName: stringClaim(payload, 'org_name'),
    organisationStatus: stringClaim(payload, 'org_status'),
    clientName: typeof payload['software_client_name'] === 'string' ? payload['software_client_name'] : stringClaim(payload, 'software_id'),
    roles: stringsClaim(payload, 'software_roles'),
    redirectUris: stringsClaim(payload, 'software_redirect_uris'),
    jwksEndpoint: stringClaim(payload, 'software_jwks_endpoint'),
  };
}
