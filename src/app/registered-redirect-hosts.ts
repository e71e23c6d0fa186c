import type { ClientRegistryAdapter } from '../auth/index.ts';

/**
 * The hosts of a TPP's registered redirect URIs (its registration, which DCR checked against its
 * software statement): where the events module lets it receive notifications.
 */
export function registeredRedirectHosts(registry: Pick<ClientRegistryAdapter, 'find'>): (clientId: string) => Promise<string[]> {
  return async (clientId) => {
    const metadata = await registry.find(clientId);
    const uris = Array.isArray(metadata?.['redirect_uris']) ? (metadata['redirect_uris'] as unknown[]) : [];
    return [...new Set(uris.flatMap((uri) => (typeof uri === 'string' && URL.canParse(uri) ? [new URL(uri).hostname.toLowerCase()] : [])))];
  };
}
