import type Provider from 'oidc-provider';
import { revokeGrant } from '../auth/index.ts';
import type { AuditApi } from '../modules/audit/index.ts';
import { organisationOfClientId } from '../modules/clients/index.ts';
import type { ConsentsApi } from '../modules/consents/index.ts';
import type { DirectoryApi, OrganisationStatus } from '../modules/directory/index.ts';
import type { RateLimitsApi } from '../modules/rate-limits/index.ts';
import type { RiskResponder } from '../modules/risk/index.ts';

export interface RiskResponsesDeps {
  readonly rateLimits: Pick<RateLimitsApi, 'throttleClient' | 'liftThrottle'>;
  readonly directory: Pick<DirectoryApi, 'getOrganisation' | 'setOrganisationStatus'>;
  readonly consents: Pick<ConsentsApi, 'findForRequest' | 'listOfPsu'>;
  readonly provider: Provider;
  readonly audit: Pick<AuditApi, 'recordDurably'>;
  readonly throttle: { readonly requests: number; readonly seconds: number };
}

/** The organisation behind a TPP subject: a Berlin Group `org:` id, else its OAuth client's `org_id`. */
async function organisationOf(provider: Provider, clientId: string): Promise<string> {
  const direct = organisationOfClientId(clientId);
  if (direct) return direct;
  const client = await provider.Client.find(clientId);
  const organisationId = client?.metadata()['org_id'];
  if (typeof organisationId !== 'string') throw new Error(`client ${clientId} has no organisation`);
  return organisationId;
}

/**
 * The risk module's automatic responses over the rest of the platform (docs/risk.md "Responses"):
 * throttle (a per-client allowance in the shared cache, so every instance applies it), suspend the
 * client's organisation in the directory (refused from its next call on every instance), and force
 * re-authentication (the grants of the consents concerned are revoked: no refresh, no new token
 * without the PSU). Each response and undo is recorded in the audit trail as an operator action.
 */
export function riskResponses(deps: RiskResponsesDeps): RiskResponder {
  return {
    async apply(action, subject, consentIds) {
      if (action === 'throttle') {
        await deps.rateLimits.throttleClient(subject.id, deps.throttle.requests, deps.throttle.seconds);
        return { requests: deps.throttle.requests, seconds: deps.throttle.seconds };
      }
      if (action === 'suspend-client') {
        const organisationId = await organisationOf(deps.provider, subject.id);
        const before = (await deps.directory.getOrganisation(organisationId)).status;
        await deps.directory.setOrganisationStatus(organisationId, 'Suspended');
        return { organisationId, previousStatus: before };
      }
      const ids = subject.kind === 'psu' ? (await deps.consents.listOfPsu(subject.id)).map((consent) => consent.id) : [...consentIds];
      const grantIds: string[] = [];
      for (const id of ids) {
        const consent = await deps.consents.findForRequest(id);
        if (consent?.grantId) {
          await revokeGrant(deps.provider, consent.grantId);
          grantIds.push(consent.grantId);
        }
      }
      return { consentIds: ids, grantIds };
    },
    async undo(action, subject, detail) {
      if (action === 'throttle') await deps.rateLimits.liftThrottle(subject.id);
      else if (action === 'suspend-client') await deps.directory.setOrganisationStatus(String(detail['organisationId']), (detail['previousStatus'] as OrganisationStatus | undefined) ?? 'Active');
      // A revoked grant cannot be given back: the PSU authorises again; undoing only records that the operator cleared it.
    },
    async record(entry) {
      await deps.audit.recordDurably([
        {
          at: new Date(),
          kind: 'operator',
          action: entry.action,
          outcome: entry.outcome,
          clientId: entry.subject.kind === 'tpp' ? entry.subject.id : undefined,
          details: { operator: entry.operator, alertId: entry.alertId, subject: entry.subject, ...(entry.detail ? { response: entry.detail } : {}) },
        },
      ]);
    },
  };
}
