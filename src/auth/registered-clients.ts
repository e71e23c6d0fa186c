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
