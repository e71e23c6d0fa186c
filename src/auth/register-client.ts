import type { Adapter, AdapterPayload, Client, ClientMetadata, Provider } from 'oidc-provider';

/** What oidc-provider's Client model offers at runtime beyond @types/oidc-provider's declaration. */
interface ClientModel {
  new (metadata: ClientMetadata): Client;
  readonly adapter: Adapter;
  validate(metadata: ClientMetadata): Promise<void>;
}

/**
 * Stores a client the way oidc-provider's own registration would: the metadata is validated by
 * the provider's Client model (unknown or inconsistent metadata throws `InvalidClientMetadata`),
 * defaults are applied, and the result is written through the adapter. The OB DCR facade and
 * tests create clients with this; dynamic registration in oidc-provider itself stays off.
 * Upserting the same `client_id` again replaces its metadata (DCR PUT).
 */
export async function registerClient(provider: Provider, metadata: ClientMetadata): Promise<ClientMetadata> {
  // Client.validate also checks a sector_identifier_uri, should one ever be accepted.
  const Model = provider.Client as unknown as ClientModel;
  await Model.validate(metadata);
  const client = new Model(metadata);
  const stored = client.metadata();
  await Model.adapter.upsert(client.clientId, stored as AdapterPayload);
  return stored;
}
