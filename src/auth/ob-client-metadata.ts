import { errors } from 'oidc-provider';

/**
 * Client metadata the OB DCR facade stores beside RFC 7591's (oidc-provider drops undeclared
 * members): where the client came from in the directory, and the SSA as registered.
 * `software_jwks_endpoint` keeps the SSA's JWKS URL, since the keys are stored inline as `jwks`
 * and RFC 7591 §2 forbids `jwks_uri` beside `jwks`.
 */
const STRING_METADATA = ['software_id', 'org_id', 'org_name', 'software_statement', 'software_jwks_endpoint'] as const;
const STRING_ARRAY_METADATA = ['software_roles'] as const;

export const OB_CLIENT_METADATA: readonly string[] = [...STRING_METADATA, ...STRING_ARRAY_METADATA];

/** Type checks for the members above (oidc-provider's `extraClientMetadata.validator`). */
export function validateObClientMetadata(key: string, value: unknown): void {
  if (value === undefined) return;
  if ((STRING_METADATA as readonly string[]).includes(key) && typeof value !== 'string') {
    throw new errors.InvalidClientMetadata(`${key} must be a string`);
  }
  if ((STRING_ARRAY_METADATA as readonly string[]).includes(key) && !(Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
    throw new errors.InvalidClientMetadata(`${key} must be an array of strings`);
  }
}
