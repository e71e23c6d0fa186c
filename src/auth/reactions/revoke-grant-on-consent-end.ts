import type Provider from 'oidc-provider';
import type { Subscription } from '../../platform/bus/index.ts';
import { consumeEvents, isEventOf, type ConsumerDeps } from '../../platform/events/index.ts';
import { ConsentStatusChangedV1, ConsentStatusChangedV2, type ConsentsApi } from '../../modules/consents/index.ts';
import { revokeGrant } from '../revoke-grant.ts';

/**
 * A consent revoked (by the PSU or the TPP) or rejected takes its grant with it, so its refresh
 * tokens stop working too; access tokens meet the consent check on their next call. The grant
 * lives in the authorisation server's own store, so this is a standalone consumer: revoking a
 * grant twice is harmless.
 */
export async function revokeGrantOnConsentEnd(deps: ConsumerDeps & { provider: Provider; consents: Pick<ConsentsApi, 'find'> }): Promise<Subscription> {
  return consumeEvents(deps, {
    name: 'auth-revoke-consent-grants',
    events: [ConsentStatusChangedV2, ConsentStatusChangedV1],
    transactional: false,
    async apply(events) {
      for (const event of events) {
        const ended = isEventOf(ConsentStatusChangedV2, event)
          ? event.payload.status === 'revoked' || event.payload.status === 'rejected'
          : // Recorded before version 2, in its status words.
            isEventOf(ConsentStatusChangedV1, event) && (event.payload.status === 'Revoked' || event.payload.status === 'Rejected');
        if (!ended) continue;
        const consent = await deps.consents.find(event.aggregate.id);
        if (consent?.grantId) await revokeGrant(deps.provider, consent.grantId);
      }
    },
  });
}
