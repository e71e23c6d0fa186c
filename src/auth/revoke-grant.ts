import type Provider from 'oidc-provider';

interface GrantAdapterModel {
  readonly adapter: { destroy(id: string): Promise<void> };
}

/**
 * Ends everything issued under a grant: access and refresh tokens, unused authorisation codes, and
 * the grant itself (what oidc-provider does for `revokeGrantPolicy`), so a revoked consent's
 * refresh token cannot mint new access tokens.
 */
export async function revokeGrant(provider: Provider, grantId: string): Promise<void> {
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
    (provider.Grant as unknown as GrantAdapterModel).adapter.destroy(grantId),
  ]);
}
