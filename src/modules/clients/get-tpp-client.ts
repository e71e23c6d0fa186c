import type { ClientsContext } from './ports.ts';
import { requireClientAccess, type ClientAccessRequest } from './require-client-access.ts';
import type { TppClient } from './tpp-client.ts';

/** OB DCR v3.4 `GET /register/{ClientId}` (RFC 7592 §2.1). */
export async function getTppClient(context: ClientsContext, request: ClientAccessRequest): Promise<TppClient> {
  const { client } = await requireClientAccess(context, request);
  return client;
}
