import type { AccountsApi } from '../../../../modules/accounts/index.ts';
import type { ConsentCache } from '../../../../modules/consents/index.ts';
import { authorisedConsentOf, freshnessOf, type SecurityStep } from '../security/security-context.ts';

/**
 * Read-ahead for the AIS checks. They wait on the shared cache three times in turn: for the token
 * and the directory's generation, then the consent's generation (its id is in the token), then the
 * account's (once the consent allows it). `start` issues the later two reads alongside the first,
 * so all travel in one round trip; the checks then take them up (src/platform/cache `Freshness`)
 * and still decide everything themselves — a read-ahead never lets anything through.
 *
 * The consent a request will name is guessed from the last one used on the same connection (a
 * TPP's keep-alive connection usually carries one consent's calls); a wrong or missing guess only
 * costs the round trips saved. `learn` records the consent once `checkConsentAuthorised` accepted it.
 * Connections are weak keys: nothing outlives its connection, and no token is kept.
 */
export interface AisReadAhead {
  readonly start: SecurityStep;
  readonly learn: SecurityStep;
}

export function aisReadAhead(consents: Pick<ConsentCache, 'readAhead'>, reads: Pick<AccountsApi, 'readAhead'>, scope: 'account' | 'bulk'): AisReadAhead {
  const lastConsentOn = new WeakMap<object, string>();
  return {
    start: async (request) => {
      freshnessOf(request);
      const consentId = lastConsentOn.get(request.raw.socket);
      if (consentId === undefined) return;
      consents.readAhead(consentId);
      const accountRef = (request.params as { AccountId?: unknown }).AccountId;
      if (scope === 'account' && typeof accountRef === 'string') reads.readAhead(accountRef);
    },
    learn: async (request) => {
      lastConsentOn.set(request.raw.socket, authorisedConsentOf(request).id);
    },
  };
}
