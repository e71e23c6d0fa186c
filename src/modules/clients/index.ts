/**
 * TPP client registration (OB DCR v3.4 over RFC 7591/7592): turns a directory-approved software
 * statement into an OAuth client of the authorisation server, and lets the TPP read, update and
 * delete it. The authorisation server is reached through the `ClientRegistry` port.
 */
export { createClientsModule } from './create-clients-module.ts';
export type { ClientsApi } from './create-clients-module.ts';
export type { RegisterTppClientRequest } from './register-tpp-client.ts';
export type { UpdateTppClientRequest } from './update-tpp-client.ts';
export type { ClientAccessRequest } from './require-client-access.ts';
export type { ClientCredentialsToken, ClientMetadata, ClientRegistry, ClientsContext, SaveClientResult } from './ports.ts';
export type { FapiProfile, SigningAlg, TokenEndpointAuthMethod, TppClient, TppGrantType, TppResponseType } from './tpp-client.ts';
export { ClientsErrors } from './clients.errors.ts';
export { clientIdOfOrganisation, organisationOfClientId } from './organisation-client-id.ts';
