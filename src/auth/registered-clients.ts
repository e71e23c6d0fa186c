import { sql } from 'kysely';
import { ownTables, type Db } from '../platform/db/index.ts';
import type { AuthTables } from './infra/auth.tables.ts';

/** A client registered by OB DCR, as an operator looks it up. */
export interface RegisteredClient {
  readonly clientId: string;
  readonly organisationId: string | undefined;
  readonly softwareId: string | undefined;
  readonly subjectDn: string | undefined;
  readonly scope: string | undefined;
  readonly clientName: string | undefined;
}

/**
 * The registered clients with this client id, or of this organisation (`org_id`): read from the
 * authorisation server's storage, for operators' tools (a scan by organisation, which is rare).
 */
export async function findRegisteredClients(database: Db, id: string): Promise<RegisteredClient[]> {
  const db = ownTables<AuthTables>(database);
  const rows = await db
    .selectFrom('oidc_payloads')
    .select(['id', 'payload'])
    .where('kind', '=', 'Client')
    .where((eb) => eb.or([eb('id', '=', id), eb(sql<string>`payload->>'org_id'`, '=', id)]))
    .orderBy('id')
    .limit(100)
    .execute();
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return rows.map(({ id: clientId, payload }) => ({
    clientId,
    organisationId: text(payload['org_id']),
    softwareId: text(payload['software_id']),
    subjectDn: text(payload['tls_client_auth_subject_dn']),
    scope: text(payload['scope']),
    clientName: text(payload['client_name']),
  }));
}

/**
 * The clients registered by these organisations (their SSAs' `org_id`), with the software each was
 * registered for: whom a certificate's expiry warning goes to. The organisation must match exactly.
 */
export async function registeredClientsOfOrganisations(database: Db, organisationIds: readonly string[]): Promise<Array<{ clientId: string; organisationId: string; softwareId: string | null }>> {
  if (organisationIds.length === 0) return [];
  const db = ownTables<AuthTables>(database);
  const rows = await db
    .selectFrom('oidc_payloads')
    .select(['id', sql<string>`payload->>'org_id'`.as('org_id'), sql<string | null>`payload->>'software_id'`.as('software_id')])
    .where('kind', '=', 'Client')
    .where(sql<string>`payload->>'org_id'`, 'in', [...new Set(organisationIds)])
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ clientId: row.id, organisationId: row.org_id, softwareId: row.software_id }));
}
