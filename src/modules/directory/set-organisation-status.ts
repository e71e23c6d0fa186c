import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Organisation, OrganisationStatus } from './directory-model.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { forgetDirectoryVerdicts } from './directory-verdicts.ts';

/**
 * Suspends, revokes or reinstates an organisation. Once committed, every remembered certificate
 * verdict is retired (`forgetDirectoryVerdicts`), so the change applies to the TPP's next request
 * on every instance.
 */
export async function setOrganisationStatus(records: DirectoryRepository, cache: Cache, organisationId: string, status: OrganisationStatus, now: Date = new Date()): Promise<Organisation> {
  const organisation = await records.setOrganisationStatus(organisationId, status, now);
  if (!organisation) throw new AppError(DirectoryErrors.ORGANISATION_NOT_FOUND);
  await forgetDirectoryVerdicts(cache);
  return organisation;
}
