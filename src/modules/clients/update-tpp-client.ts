import { AppError } from '../../platform/errors/index.ts';
import { buildClientMetadata } from './build-client-metadata.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientsContext } from './ports.ts';
import { requireClientAccess, type ClientAccessRequest } from './require-client-access.ts';
import { saveClient } from './save-client.ts';
import type { TppClient } from './tpp-client.ts';
import { verifyRegistrationRequest } from './verify-registration-request.ts';

export interface UpdateTppClientRequest extends ClientAccessRequest {
  readonly requestJwt: string;
}

/**
 * OB DCR v3.4 `PUT /register/{ClientId}` (RFC 7592 §2.2): the request replaces the registration
 * as a whole, re-verified like a new one; the client_id, its issue time and its software stay.
 * The software's keys are re-read from the directory, so a rotated signing key takes effect.
 */
export async function updateTppClient(context: ClientsContext, request: UpdateTppClientRequest): Promise<TppClient> {
  const { transport, client } = await requireClientAccess(context, request);
  const verified = await verifyRegistrationRequest(context, request.requestJwt, transport);
  if (verified.ssa.softwareId !== client.softwareId) throw new AppError(ClientsErrors.SOFTWARE_STATEMENT_MISMATCH);
  const metadata = buildClientMetadata(context, verified, transport, { clientId: client.clientId, clientIdIssuedAt: client.clientIdIssuedAt });
  return saveClient(context, metadata);
}
