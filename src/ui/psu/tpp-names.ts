import type Provider from 'oidc-provider';
import type { PsuPagesOptions } from './psu-pages-options.ts';

/** How a PSU sees a provider: its legal name from the directory, and the app (client) name. */
export async function tppNamesOf(provider: Provider, organisationLegalName: PsuPagesOptions['organisationLegalName'], clientId: string): Promise<{ legalName: string; clientName: string }> {
  const client = await provider.Client.find(clientId);
  const orgId = client?.['org_id'] as string | undefined;
  const legalName = orgId ? await organisationLegalName(orgId) : undefined;
  const clientName = client?.clientName ?? client?.clientId ?? 'A provider';
  return { legalName: legalName ?? clientName, clientName };
}
