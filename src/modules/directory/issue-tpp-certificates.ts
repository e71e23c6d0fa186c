import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { createTppCertificates, type TppCertificateRequest, type TppCredentials } from './create-tpp-certificates.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';

/**
 * Issues a transport and a signing certificate for a registered software statement of the
 * organisation and records both, so that validation and revocation know them. (Onboarding uses
 * `createTppCertificates` to record them inside its own transaction instead.)
 */
export async function issueTppCertificates(db: Db, qtsp: SandboxQtsp, request: TppCertificateRequest): Promise<TppCredentials> {
  const software = await db
    .selectFrom('directory_software_statements')
    .select('software_id')
    .where('software_id', '=', request.softwareId)
    .where('organisation_id', '=', request.organisation.id)
    .executeTakeFirst();
  if (!software) throw new AppError(DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND);
  const created = await createTppCertificates(qtsp, request);
  await db.insertInto('directory_certificates').values(created.records).execute();
  return created.credentials;
}
