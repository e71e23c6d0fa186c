import { randomBytes } from 'node:crypto';
import type { CertificateInput } from '../directory/index.ts';
import { buildClientMetadata } from './build-client-metadata.ts';
import type { ClientsContext } from './ports.ts';
import { requireTransportCertificate } from './require-transport-certificate.ts';
import { saveClient } from './save-client.ts';
import type { TppClient } from './tpp-client.ts';
import { verifyRegistrationRequest } from './verify-registration-request.ts';

export interface RegisterTppClientRequest {
  /** The OB DCR v3.4 registration request: a JWT signed by the TPP. */
  readonly requestJwt: string;
  readonly certificate: CertificateInput | undefined;
}

/**
 * 192 random bits, base64url: unguessable (RFC 6749 §10.10) and 32 characters, within OB DCR
 * v3.4's `client_id` maxLength of 36.
 */
function newClientId(): string {
  return randomBytes(24).toString('base64url');
}

/** OB DCR v3.4 `POST /register` (RFC 7591 §3.1): creates a client for a directory-approved TPP. */
export async function registerTppClient(context: ClientsContext, request: RegisterTppClientRequest): Promise<TppClient> {
  const transport = await requireTransportCertificate(context, request.certificate);
  const verified = await verifyRegistrationRequest(context, request.requestJwt, transport);
  const issuedAt = Math.floor((context.now?.() ?? new Date()).getTime() / 1000);
  const metadata = buildClientMetadata(context, verified, transport, { clientId: newClientId(), clientIdIssuedAt: issuedAt });
  return saveClient(context, metadata);
}
