import type { JWTPayload } from 'jose';
import { AppError } from '../../platform/errors/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientMetadata, ClientsContext } from './ports.ts';
import type { TransportIdentity } from './require-transport-certificate.ts';
import { SIGNING_ALGS, TPP_GRANT_TYPES, TPP_RESPONSE_TYPES, type FapiProfile, type SigningAlg, type TppResponseType } from './tpp-client.ts';
import type { VerifiedRegistrationRequest } from './verify-registration-request.ts';

/** UK OB scopes per PSD2 role: AIS → accounts, PIS (incl. VRP) → payments, CBPII → fundsconfirmations. */
const SCOPES_BY_ROLE: Record<string, string> = { AISP: 'accounts', PISP: 'payments', CBPII: 'fundsconfirmations' };
const OB_SCOPES = new Set(['openid', ...Object.values(SCOPES_BY_ROLE)]);
const FAPI_PROFILES: readonly FapiProfile[] = ['1.0 Final', '2.0'];

const metadataInvalid = (message: string) => new AppError(ClientsErrors.METADATA_INVALID, { message });

function optionalString(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw metadataInvalid(`${name} must be a non-empty string`);
  return value;
}

function oneOf<T extends string>(claims: JWTPayload, name: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
  const value = optionalString(claims, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw metadataInvalid(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function stringArray(claims: JWTPayload, name: string): string[] | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw metadataInvalid(`${name} must be an array of strings`);
  return [...new Set(value as string[])];
}

export interface ClientIdentity {
  readonly clientId: string;
  readonly clientIdIssuedAt: number;
}

/**
 * The RFC 7591 metadata to store for a verified OB DCR v3.4 registration request. Unknown
 * metadata is ignored (RFC 7591 §2); anything a TPP may not have is refused with the DCR error
 * the spec names. The client's keys are the software's JWKS from the directory, stored inline as
 * `jwks` (see docs/dynamic-client-registration.md: oidc-provider will not fetch a jwks_uri on this
 * platform's own loopback address, and the directory port gives them anyway); a PUT refreshes them.
 */
export function buildClientMetadata(
  context: ClientsContext,
  request: VerifiedRegistrationRequest,
  transport: TransportIdentity,
  identity: ClientIdentity,
): ClientMetadata {
  const { claims, ssa } = request;
  for (const [name, expected] of [['client_id', identity.clientId], ['software_id', ssa.softwareId]] as const) {
    if (claims[name] !== undefined && claims[name] !== expected) throw metadataInvalid(`${name} must be ${expected}`);
  }
  // A client registering with standard metadata only is held to the bank's default profile.
  const fapiProfile = oneOf(claims, 'fapi_profile', FAPI_PROFILES, context.defaultFapiProfile ?? '1.0 Final')!;
  const grantTypes = grantTypesOf(claims);
  const responseTypes = responseTypesOf(claims, grantTypes, fapiProfile);
  const authentication = clientAuthenticationOf(context, claims, transport);
  const jwksUri = optionalString(claims, 'jwks_uri') ?? ssa.jwksEndpoint;
  // The keys must be the directory's: another jwks_uri would be keys nobody vouches for.
  if (jwksUri !== ssa.jwksEndpoint) throw metadataInvalid("jwks_uri must be the software statement's software_jwks_endpoint");
  oneOf(claims, 'application_type', ['web'], 'web');
  return {
    client_id: identity.clientId,
    client_id_issued_at: identity.clientIdIssuedAt,
    client_name: ssa.clientName,
    redirect_uris: redirectUrisOf(claims, request, grantTypes),
    grant_types: grantTypes,
    response_types: responseTypes,
    scope: scopeOf(claims, request, transport),
    ...authentication,
    application_type: 'web',
    id_token_signed_response_alg: oneOf<SigningAlg>(claims, 'id_token_signed_response_alg', SIGNING_ALGS, 'PS256'),
    request_object_signing_alg: oneOf<SigningAlg>(claims, 'request_object_signing_alg', SIGNING_ALGS, 'PS256'),
    jwks: { keys: request.softwareJwks.keys },
    // FAPI 1.0 Adv §5.2.2-5/-6, FAPI 2.0 §5.3.2.1: sender-constrained tokens (RFC 8705 §3).
    tls_client_certificate_bound_access_tokens: true,
    // FAPI 1.0 Adv §5.2.2-1 signed request objects; FAPI 2.0 §5.3.1.2 PAR instead.
    require_signed_request_object: fapiProfile === '1.0 Final',
    require_pushed_authorization_requests: fapiProfile === '2.0',
    fapi_profile: fapiProfile,
    software_id: ssa.softwareId,
    org_id: ssa.organisationId,
    org_name: ssa.organisationName,
    software_roles: ssa.roles,
    // A client registered with its QSealC (eIDAS) has neither: its keys are its seal's.
    ...(request.softwareStatement ? { software_statement: request.softwareStatement } : {}),
    ...(ssa.jwksEndpoint ? { software_jwks_endpoint: ssa.jwksEndpoint } : {}),
  };
}

function grantTypesOf(claims: JWTPayload): string[] {
  const grantTypes = stringArray(claims, 'grant_types');
  if (!grantTypes || grantTypes.length === 0) throw metadataInvalid('grant_types must name at least one grant type');
  const unsupported = grantTypes.find((type) => !(TPP_GRANT_TYPES as readonly string[]).includes(type));
  if (unsupported) throw metadataInvalid(`grant_types: ${unsupported} is not supported (use ${TPP_GRANT_TYPES.join(', ')})`);
  if (grantTypes.includes('refresh_token') && !grantTypes.includes('authorization_code')) throw metadataInvalid('refresh_token needs the authorization_code grant');
  return grantTypes;
}

/** FAPI 1.0 Adv §5.2.2-2: `code id_token`, or `code` with JARM; FAPI 2.0 §5.3.1.2: `code` only. */
function responseTypesOf(claims: JWTPayload, grantTypes: string[], fapiProfile: FapiProfile): TppResponseType[] {
  const requested = stringArray(claims, 'response_types')?.map((type) => type.split(' ').filter(Boolean).sort().join(' '));
  if (!grantTypes.includes('authorization_code')) {
    if (requested && requested.length > 0) throw metadataInvalid('response_types need the authorization_code grant');
    return [];
  }
  const allowed: readonly TppResponseType[] = fapiProfile === '2.0' ? ['code'] : TPP_RESPONSE_TYPES;
  const responseTypes = requested && requested.length > 0 ? requested : [allowed[0]!];
  const unsupported = responseTypes.find((type) => !(allowed as readonly string[]).includes(type));
  if (unsupported !== undefined) throw metadataInvalid(`response_types must be among ${allowed.join(', ')} for FAPI ${fapiProfile}`);
  return responseTypes as TppResponseType[];
}

/** Redirect URIs must be the SSA's (they are compared as strings and never fetched). */
function redirectUrisOf(claims: JWTPayload, request: VerifiedRegistrationRequest, grantTypes: string[]): string[] {
  const value = claims['redirect_uris'];
  if (value === undefined && !grantTypes.includes('authorization_code')) return [];
  if (!Array.isArray(value) || value.length === 0 || !value.every((uri) => typeof uri === 'string')) {
    throw new AppError(ClientsErrors.REDIRECT_URI_INVALID, { message: 'redirect_uris must be a non-empty array of strings' });
  }
  const outside = (value as string[]).find((uri) => !request.ssa.redirectUris.includes(uri));
  if (outside !== undefined) throw new AppError(ClientsErrors.REDIRECT_URI_INVALID, { message: `${outside} is not one of the software statement's software_redirect_uris` });
  return [...new Set(value as string[])];
}

/** Scopes within the SSA's software_roles (and the roles the directory still grants), plus openid. */
function scopeOf(claims: JWTPayload, request: VerifiedRegistrationRequest, transport: TransportIdentity): string {
  const scope = optionalString(claims, 'scope');
  if (scope === undefined) throw metadataInvalid('scope is required');
  const scopes = [...new Set(scope.split(' ').filter(Boolean))];
  const unknown = scopes.find((value) => !OB_SCOPES.has(value));
  if (unknown !== undefined) throw metadataInvalid(`scope: ${unknown} is not supported (use ${[...OB_SCOPES].join(', ')})`);
  const roles = request.ssa.roles.filter((role) => (transport.roles as string[]).includes(role));
  const permitted = new Set(['openid', ...roles.flatMap((role) => SCOPES_BY_ROLE[role] ?? [])]);
  const refused = scopes.find((value) => !permitted.has(value));
  if (refused !== undefined) throw new AppError(ClientsErrors.SCOPE_NOT_PERMITTED, { message: `scope: ${refused} needs a role the software statement does not have` });
  return scopes.join(' ');
}

/** FAPI 1.0 Adv §5.2.2-14: private_key_jwt or tls_client_auth (RFC 8705 §2.1, subject DN only). */
function clientAuthenticationOf(context: ClientsContext, claims: JWTPayload, transport: TransportIdentity): ClientMetadata {
  const method = oneOf(claims, 'token_endpoint_auth_method', ['private_key_jwt', 'tls_client_auth'] as const, undefined);
  if (method === undefined) throw metadataInvalid('token_endpoint_auth_method is required (private_key_jwt or tls_client_auth)');
  if (method === 'private_key_jwt') {
    const alg = oneOf<SigningAlg>(claims, 'token_endpoint_auth_signing_alg', SIGNING_ALGS, undefined);
    return { token_endpoint_auth_method: method, ...(alg ? { token_endpoint_auth_signing_alg: alg } : {}) };
  }
  const subjectDn = optionalString(claims, 'tls_client_auth_subject_dn');
  if (subjectDn === undefined) throw metadataInvalid('tls_client_auth needs tls_client_auth_subject_dn');
  if (!context.registry.subjectDnMatches(transport.certificatePem, subjectDn)) {
    // The caller's own certificate: naming its subject tells it nothing it does not hold.
    throw new AppError(ClientsErrors.SUBJECT_DN_MISMATCH, { message: `${ClientsErrors.SUBJECT_DN_MISMATCH.message}: ${context.registry.subjectDnOf(transport.certificatePem)}` });
  }
  return { token_endpoint_auth_method: method, tls_client_auth_subject_dn: subjectDn };
}
