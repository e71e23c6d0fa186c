import { AppError } from '../../platform/errors/index.ts';
import { createTppCertificates, type TppCertificateRequest, type TppCredentials } from './create-tpp-certificates.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';

/**
 * Issues a transport and a signing certificate for a registered software statement of the
 * organisation and records both, so that validation and revocation know them. (Onboarding uses
 * `createTppCertificates` to record them inside its own transaction instead.)
 */
export async function issueTppCertificates(records: DirectoryRepository, qtsp: SandboxQtsp, request: TppCertificateRequest): Promise<TppCredentials> {
  const software = await records.findSoftwareStatement(request.softwareId);
  if (!software || software.organisationId !== request.organisation.id) throw new AppError(DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND);
  const created = await createTppCertificates(qtsp, request);
  await records.addCertificates(created.records);
  return created.credentials;
}
