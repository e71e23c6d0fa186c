import { randomUUID } from 'node:crypto';
import type { TppClient } from '../../../modules/clients/index.ts';

/** How long the response's own `exp` lies after its `iat` (see below). */
const STATEMENT_LIFETIME_SECONDS = 5 * 60;

export interface RegistrationResponseContext {
  /** The bank's directory org_id: OB DCR v3.4 defines `aud` as the ASPSP's id from the directory. */
  readonly aspspOrganisationId: string | undefined;
  readonly now: Date;
}

/**
 * The OB DCR v3.4 `OBClientRegistration1` response (201/200): RFC 7591 §3.2.1 registered metadata
 * with client_id and client_id_issued_at. The spec's schema also requires the JWT claims iss, aud,
 * iat, exp and jti; the response states them for itself: iss the software_id, aud the bank's
 * org_id, iat the time of the response, exp a short while after, jti a new UUID v4.
 */
export function toObClientRegistration(client: TppClient, context: RegistrationResponseContext): Record<string, unknown> {
  const iat = Math.floor(context.now.getTime() / 1000);
  return {
    iss: client.softwareId,
    ...(context.aspspOrganisationId ? { aud: context.aspspOrganisationId } : {}),
    iat,
    exp: iat + STATEMENT_LIFETIME_SECONDS,
    jti: randomUUID(),
    client_id: client.clientId,
    client_id_issued_at: client.clientIdIssuedAt,
    client_name: client.clientName,
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(client.tlsClientAuthSubjectDn ? { tls_client_auth_subject_dn: client.tlsClientAuthSubjectDn } : {}),
    ...(client.tokenEndpointAuthSigningAlg ? { token_endpoint_auth_signing_alg: client.tokenEndpointAuthSigningAlg } : {}),
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    software_id: client.softwareId,
    scope: client.scope,
    software_statement: client.softwareStatement,
    application_type: client.applicationType,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    request_object_signing_alg: client.requestObjectSigningAlg,
    jwks_uri: client.jwksUri,
    fapi_profile: client.fapiProfile,
  };
}
