import type { ClientsContext } from './ports.ts';
import { requireClientAccess, type ClientAccessRequest } from './require-client-access.ts';

/**
 * OB DCR v3.4 `DELETE /register/{ClientId}` (RFC 7592 §2.3): the client and every token, code
 * and grant issued to it go at once; its next token request fails with invalid_client.
 */
export async function deleteTppClient(context: ClientsContext, request: ClientAccessRequest): Promise<void> {
  const { client } = await requireClientAccess(context, request);
  await context.registry.remove(client.clientId);
}
