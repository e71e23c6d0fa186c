import { AppError } from '../../platform/errors/index.ts';
import type { CertificateInput } from '../directory/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientsContext } from './ports.ts';
import { requireTransportCertificate, type TransportIdentity } from './require-transport-certificate.ts';
import { tppClientFromMetadata, type TppClient } from './tpp-client.ts';

export interface ClientAccessRequest {
  readonly clientId: string;
  /** The bearer token of the Authorization header (RFC 6750 §2.1), if any. */
  readonly accessToken: string | undefined;
  readonly certificate: CertificateInput | undefined;
}

/**
 * Security step `check-client-access` of GET/PUT/DELETE /register/{ClientId}. OB DCR v3.4 secures
 * them "with a client credentials grant and TLS Mutual Authentication": the token must be a live
 * client-credentials token bound to the presented certificate (RFC 8705 §3: else 401
 * invalid_token), issued to the client in the path (else 403, the spec's "no permission"). A
 * client that no longer exists answers 401 (RFC 7592 §2.1).
 */
export async function requireClientAccess(context: ClientsContext, request: ClientAccessRequest): Promise<{ transport: TransportIdentity; client: TppClient }> {
  const transport = await requireTransportCertificate(context, request.certificate);
  if (!request.accessToken) throw new AppError(ClientsErrors.ACCESS_TOKEN_MISSING);
  const token = await context.registry.findClientCredentialsToken(request.accessToken);
  if (!token || token.certificateThumbprint !== transport.thumbprint) throw new AppError(ClientsErrors.ACCESS_TOKEN_INVALID);
  if (token.clientId !== request.clientId) throw new AppError(ClientsErrors.CLIENT_FORBIDDEN);
  const metadata = await context.registry.find(request.clientId);
  if (!metadata) throw new AppError(ClientsErrors.ACCESS_TOKEN_INVALID);
  const client = tppClientFromMetadata(metadata);
  if (client.organisationId !== transport.organisation.id) throw new AppError(ClientsErrors.CLIENT_FORBIDDEN);
  return { transport, client };
}
