import type { FastifyInstance } from 'fastify';
import { AISP, singlePage, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { authorisedConsentOf, consentedAccountOf } from '../security/security-context.ts';
import { toObParty } from './parties.schema.ts';

/**
 * OB v4.0 parties: `GET /accounts/{AccountId}/parties` (everyone with a role on the account),
 * `GET /accounts/{AccountId}/party` (its owner), both `ReadParty`; `GET /party` (the PSU who
 * authorised the consent, `ReadPartyPSU`).
 */
export async function partiesRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  app.get(`${AISP}/accounts/:AccountId/parties`, { onRequest: context.pipeline('parties', 'account') }, async (request) => {
    const parties = await context.reads.parties(authorisedConsentOf(request), consentedAccountOf(request));
    return { Data: { Party: parties.map((p) => toObParty(p.party, p)) }, ...singlePage(request, context.publicUrl) };
  });
  app.get(`${AISP}/accounts/:AccountId/party`, { onRequest: context.pipeline('parties', 'account') }, async (request) => {
    const owner = await context.reads.accountOwner(authorisedConsentOf(request), consentedAccountOf(request));
    return { Data: owner ? { Party: toObParty(owner.party, owner) } : {}, ...singlePage(request, context.publicUrl) };
  });
  app.get(`${AISP}/party`, { onRequest: context.pipeline('party-psu', 'bulk') }, async (request) => {
    const party = await context.reads.psuParty(authorisedConsentOf(request));
    return { Data: party ? { Party: toObParty(party) } : {}, ...singlePage(request, context.publicUrl) };
  });
}
