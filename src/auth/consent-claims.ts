import type { FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import type { ConsentsApi } from '../modules/consents/index.ts';

interface GrantBearing {
  readonly grantId?: string;
}

function grantIdOf(ctx: KoaContextWithOIDC | undefined, token: GrantBearing | undefined): string | undefined {
  return token?.grantId ?? (ctx?.oidc?.entities as { Grant?: { jti?: string } } | undefined)?.Grant?.jti;
}

/**
 * OB Security Profile: the ID token carries `openbanking_intent_id`, the consent the PSU
 * authorised. It comes from the consent bound to the grant — never echoed from the request — so
 * a token can only name a consent this PSU actually authorised for this client.
 */
export function consentFindAccount(consents: Pick<ConsentsApi, 'findByGrant'>): FindAccount {
  return async (ctx, sub, token) => ({
    accountId: sub,
    async claims() {
      const grantId = grantIdOf(ctx, token as GrantBearing | undefined);
      const consent = grantId ? await consents.findByGrant(grantId) : undefined;
      const own = consent && consent.psuId === sub ? consent : undefined;
      return { sub, ...(own ? { openbanking_intent_id: own.id } : {}) };
    },
  });
}

/**
 * Extra claims stored with every access token: the consent it acts under (so the resource server
 * binds each call to one consent without asking the authorisation server).
 */
export function consentTokenClaims(consents: Pick<ConsentsApi, 'findByGrant'>) {
  return async (_ctx: KoaContextWithOIDC, token: GrantBearing): Promise<Record<string, unknown> | undefined> => {
    if (!token.grantId) return undefined;
    const consent = await consents.findByGrant(token.grantId);
    return consent ? { openbanking_intent_id: consent.id } : undefined;
  };
}
