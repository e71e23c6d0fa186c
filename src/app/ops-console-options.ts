import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { DirectoryApi, Organisation } from '../modules/directory/index.ts';
import type { ConsentsApi } from '../modules/consents/index.ts';
import type { PaymentsApi } from '../modules/payments/index.ts';
import type { RiskApi } from '../modules/risk/index.ts';
import type { OpsAlert, OpsAlerts, OpsClient, OpsConsents, OpsTpp, OpsTpps } from '../ui/ops/index.ts';

const tppOf = (organisation: Organisation): OpsTpp => ({
  id: organisation.id,
  legalName: organisation.legalName,
  status: organisation.status,
  roles: organisation.roles,
  ncaName: organisation.ncaName,
  authorisationNumber: organisation.authorisationNumber,
  organizationIdentifier: organisation.organizationIdentifier,
});

/**
 * The console's TPPs: the bank's own directory (its organisations, their status and the sandbox
 * QTSP's certificates) and the clients they registered (DCR clients carry the SSA's `org_id`).
 */
export function opsTppsOver(directory: DirectoryApi, db: Db): OpsTpps {
  return {
    list: async () => (await directory.listOrganisations()).map(tppOf),
    async get(organisationId) {
      try {
        return tppOf(await directory.getOrganisation(organisationId));
      } catch {
        return undefined;
      }
    },
    certificates: (organisationId) => directory.organisationCertificates(organisationId),
    async clients(organisationId): Promise<OpsClient[]> {
      // oidc-provider keeps clients in its payload table; the registry has no list by organisation.
      const rows = await db
        .selectFrom('oidc_payloads')
        .select(['id', sql<string | null>`payload->>'client_name'`.as('client_name'), sql<string | null>`payload->>'software_id'`.as('software_id')])
        .where('kind', '=', 'Client')
        .where(sql<string>`payload->>'org_id'`, '=', organisationId)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ clientId: row.id, clientName: row.client_name ?? '', softwareId: row.software_id ?? '' }));
    },
    setStatus: async (organisationId, status) => tppOf(await directory.setOrganisationStatus(organisationId, status)),
  };
}

/** The console's consent and payment search, through the consents and payments modules. */
export function opsConsentsOver(consents: ConsentsApi, payments: PaymentsApi): OpsConsents {
  return {
    find: (consentId) => consents.find(consentId),
    async ofPsu(psuId) {
      const [current, paying, ended] = await Promise.all([consents.listOfPsu(psuId), consents.listPaymentsOfPsu(psuId), consents.listEndedOfPsu(psuId)]);
      const byId = new Map([...current, ...paying, ...ended].map((consent) => [consent.id, consent]));
      return [...byId.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },
    async paymentOf(consent) {
      const payment = await payments.findPaymentOfConsent(consent.id, consent.clientId).catch(() => undefined);
      return payment && { id: payment.id, status: payment.status, createdAt: payment.createdAt, statusUpdatedAt: payment.statusUpdatedAt };
    },
  };
}

/**
 * The console's alerts: the risk module's (`portico.risk`), read when a page asks (the module is
 * built after the console's routes are registered). Resolving and undoing answer the alert as it is then.
 */
export function opsAlertsOver(riskOf: () => Pick<RiskApi, 'listAlerts' | 'getAlert' | 'resolveAlert' | 'undoResponse'>): OpsAlerts {
  const current = async (id: string): Promise<OpsAlert> => {
    const alert = await riskOf().getAlert(id);
    if (!alert) throw new Error(`alert ${id} is gone`);
    return alert;
  };
  return {
    list: ({ status, subjectId, limit }) => riskOf().listAlerts({ ...(status ? { status } : {}), ...(subjectId ? { subjectId } : {}), limit: limit ?? 200 }),
    get: (id) => riskOf().getAlert(id),
    async resolve(id, operator) {
      await riskOf().resolveAlert(id, operator);
      return current(id);
    },
    async undoResponse(id, operator) {
      await riskOf().undoResponse(id, operator);
      return current(id);
    },
  };
}
