import { AppError } from '../../platform/errors/index.ts';
import type { CertificateInput, DirectoryOrganisation, TppRole } from '../directory/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientsContext } from './ports.ts';

/** A transport certificate the directory vouches for, now. */
export interface TransportIdentity {
  readonly organisation: DirectoryOrganisation;
  /** Roles in both the certificate's PSD2 QCStatement and the directory. */
  readonly roles: TppRole[];
  /** RFC 8705 §3.1 x5t#S256 of the certificate. */
  readonly thumbprint: string;
  readonly certificatePem: string;
}

/**
 * Security step `require-mtls` of every /register route (OB DCR v3.4: "secured by way of Mutual
 * Authentication over TLS"): a transport certificate must be presented and the directory must
 * accept it now — chain, validity, revocation, organisation Active, roles. Its 401/403 stand.
 */
export async function requireTransportCertificate(context: ClientsContext, certificate: CertificateInput | undefined): Promise<TransportIdentity> {
  if (certificate === undefined) throw new AppError(ClientsErrors.CERTIFICATE_MISSING);
  const validation = await context.directory.validateCertificate(certificate, { now: context.now?.() ?? new Date(), usage: 'transport' });
  if (!validation.ok) throw validation.error;
  return {
    organisation: validation.organisation,
    roles: validation.roles,
    thumbprint: validation.thumbprint,
    certificatePem: validation.certificate.toString('pem'),
  };
}
