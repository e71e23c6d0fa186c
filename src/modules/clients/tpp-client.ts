import type { ClientMetadata } from './ports.ts';

export type FapiProfile = '1.0 Final' | '2.0';
export type TokenEndpointAuthMethod = 'private_key_jwt' | 'tls_client_auth';
export type SigningAlg = 'PS256' | 'ES256';

/** The grant types a TPP may register (OB DCR v3.4 `grant_types`, minus CIBA and JWT bearer). */
export const TPP_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type TppGrantType = (typeof TPP_GRANT_TYPES)[number];
/** FAPI 1.0 Adv §5.2.2-2: `code id_token`, or `code` with JARM (and FAPI 2.0). */
export const TPP_RESPONSE_TYPES = ['code id_token', 'code'] as const;
export type TppResponseType = (typeof TPP_RESPONSE_TYPES)[number];
export const SIGNING_ALGS: readonly SigningAlg[] = ['PS256', 'ES256'];

/** A TPP's registered OAuth client: its RFC 7591 metadata plus the software statement it came from. */
export interface TppClient {
  readonly clientId: string;
  /** RFC 7591 §3.2.1 `client_id_issued_at`, seconds since the epoch. */
  readonly clientIdIssuedAt: number;
  readonly clientName: string;
  readonly softwareId: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly softwareRoles: string[];
  /** The SSA as registered. */
  readonly softwareStatement: string;
  /** The SSA's software_jwks_endpoint (the keys themselves are stored inline, see build-client-metadata.ts). */
  readonly jwksUri: string;
  readonly redirectUris: string[];
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly tlsClientAuthSubjectDn: string | undefined;
  readonly tokenEndpointAuthSigningAlg: SigningAlg | undefined;
  readonly grantTypes: TppGrantType[];
  readonly responseTypes: TppResponseType[];
  readonly scope: string;
  readonly applicationType: 'web';
  readonly idTokenSignedResponseAlg: SigningAlg;
  readonly requestObjectSigningAlg: SigningAlg;
  readonly fapiProfile: FapiProfile;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const alg = (value: unknown): SigningAlg => (value === 'ES256' ? 'ES256' : 'PS256');

/**
 * Reads a stored client back. The authorisation server normalises what it stores (it adds
 * `implicit` for `code id_token`, for instance), so only the values a TPP can register are kept.
 */
export function tppClientFromMetadata(metadata: ClientMetadata): TppClient {
  return {
    clientId: text(metadata['client_id']),
    clientIdIssuedAt: typeof metadata['client_id_issued_at'] === 'number' ? metadata['client_id_issued_at'] : 0,
    clientName: text(metadata['client_name']),
    softwareId: text(metadata['software_id']),
    organisationId: text(metadata['org_id']),
    organisationName: text(metadata['org_name']),
    softwareRoles: texts(metadata['software_roles']),
    softwareStatement: text(metadata['software_statement']),
    jwksUri: text(metadata['software_jwks_endpoint']),
    redirectUris: texts(metadata['redirect_uris']),
    tokenEndpointAuthMethod: metadata['token_endpoint_auth_method'] === 'tls_client_auth' ? 'tls_client_auth' : 'private_key_jwt',
    tlsClientAuthSubjectDn: typeof metadata['tls_client_auth_subject_dn'] === 'string' ? metadata['tls_client_auth_subject_dn'] : undefined,
    tokenEndpointAuthSigningAlg: metadata['token_endpoint_auth_signing_alg'] === undefined ? undefined : alg(metadata['token_endpoint_auth_signing_alg']),
    grantTypes: texts(metadata['grant_types']).filter((type): type is TppGrantType => (TPP_GRANT_TYPES as readonly string[]).includes(type)),
    responseTypes: texts(metadata['response_types']).filter((type): type is TppResponseType => (TPP_RESPONSE_TYPES as readonly string[]).includes(type)),
    scope: text(metadata['scope']),
    applicationType: 'web',
    idTokenSignedResponseAlg: alg(metadata['id_token_signed_response_alg']),
    requestObjectSigningAlg: alg(metadata['request_object_signing_alg']),
    fapiProfile: metadata['fapi_profile'] === '2.0' ? '2.0' : '1.0 Final',
  };
}
