import type Provider from 'oidc-provider';
import { organisationOfClientId } from '../../modules/clients/index.ts';
import type { PsuPagesOptions } from './psu-pages-options.ts';

/** How a PSU sees a provider: its legal name from the directory, and the app (client) name. */
export async function tppNamesOf(provider: Provider, organisationLegalName: PsuPagesOptions['organisationLegalName'], clientId: string): Promise<{ legalName: string; clientName: string }> {
  // A TPP identified by its certificate (Berlin Group) has no client: its organisation is the name.
  const organisationId = organisationOfClientId(clientId);
  if (organisationId !== undefined) {
    const name = (await organisationLegalName(organisationId)) ?? organisationId;
    return { legalName: name, clientName: name };
  }
  const client = await provider.Client.find(clientId);
  const orgId = client?.['org_id'] as string | undefined;
  const legalName = orgId ? await organisationLegalName(orgId) : undefined;
  const clientName = client?.clientName ?? client?.clientId ?? 'A provider';
  return { legalName: legalName ?? clientName, clientName };
}
