import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Bus, Subscription } from '../../platform/bus/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { consumeEvents, isEventOf } from '../../platform/events/index.ts';
import { ConsentStatusChangedV1, findConsent } from '../../modules/consents/index.ts';
import { revokeGrant } from '../revoke-grant.ts';

/**
 * A consent revoked (by the PSU or the TPP) or rejected takes its grant with it, so its refresh
 * tokens stop working too; access tokens meet the consent check on their next call.
 */
export async function revokeGrantOnConsentEnd(deps: { bus: Bus; db: Db; logger: Logger; provider: Provider }): Promise<Subscription> {
  return consumeEvents(deps.bus, deps.logger, { name: 'auth-revoke-consent-grants', events: [ConsentStatusChangedV1] }, async (event) => {
    if (!isEventOf(ConsentStatusChangedV1, event)) return;
    if (event.payload.status !== 'Revoked' && event.payload.status !== 'Rejected') return;
    const consent = await findConsent(deps.db, event.aggregate.id);
    if (consent?.grantId) await revokeGrant(deps.provider, consent.grantId);
  });
}
