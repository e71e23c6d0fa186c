import type Provider from 'oidc-provider';
import type { Db } from '../../platform/db/index.ts';
import { getOrganisation } from '../../modules/directory/index.ts';

/** How a PSU sees a provider: its legal name from the directory, and the app (client) name. */
export async function tppNamesOf(provider: Provider, db: Db, clientId: string): Promise<{ legalName: string; clientName: string }> {
  const client = await provider.Client.find(clientId);
  const orgId = client?.['org_id'] as string | undefined;
  const organisation = orgId ? await getOrganisation(db, orgId).catch(() => undefined) : undefined;
  const clientName = client?.clientName ?? client?.clientId ?? 'A provider';
  return { legalName: organisation?.legalName ?? clientName, clientName };
}
