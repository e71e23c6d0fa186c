import { deleteTppClient } from './delete-tpp-client.ts';
import { getTppClient } from './get-tpp-client.ts';
import type { ClientsContext } from './ports.ts';
import { registerTppClient, type RegisterTppClientRequest } from './register-tpp-client.ts';
import type { ClientAccessRequest } from './require-client-access.ts';
import type { TppClient } from './tpp-client.ts';
import { updateTppClient, type UpdateTppClientRequest } from './update-tpp-client.ts';

/** TPP client registration (RFC 7591/7592): each call runs its security steps first. */
export interface ClientsApi {
  /** A new client for a directory-approved TPP (RFC 7591 §3.1). */
  register(request: RegisterTppClientRequest): Promise<TppClient>;
  /** The client, to the TPP it was registered to (RFC 7592 §2.1). */
  get(request: ClientAccessRequest): Promise<TppClient>;
  /** Replaces the registration as a whole, re-verified like a new one (RFC 7592 §2.2). */
  update(request: UpdateTppClientRequest): Promise<TppClient>;
  /** The client and everything issued to it go at once (RFC 7592 §2.3). */
  delete(request: ClientAccessRequest): Promise<void>;
}

/**
 * The clients module over the directory, the authorisation server's client registry and the
 * replay cache of `context`. It keeps no tables of its own: clients are the authorisation server's.
 */
export function createClientsModule(context: ClientsContext): ClientsApi {
  return {
    register: (request) => registerTppClient(context, request),
    get: (request) => getTppClient(context, request),
    update: (request) => updateTppClient(context, request),
    delete: (request) => deleteTppClient(context, request),
  };
}
