import type Provider from 'oidc-provider';

interface GrantAdapterModel {
  readonly adapter: { destroy(id: string): Promise<void> };
}

/**
 * Ends what lets a grant outlive its consent: refresh tokens, unused authorisation codes, and the
 * grant itself, so no new access token can be minted. Access tokens already issued are left to
 * the resource side, which reads the consent on every call and answers a revoked consent with
 * 403 (OB: the consent is no longer authorised) rather than a vague 401; they expire within the
 * hour anyway.
 */
export async function revokeGrant(provider: Provider, grantId: string): Promise<void> {
  await Promise.all([
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
    (provider.Grant as unknown as GrantAdapterModel).adapter.destroy(grantId),
  ]);
}
