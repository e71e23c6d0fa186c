import type { Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { toOrganisation, type Organisation, type OrganisationStatus } from './directory-model.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { forgetDirectoryVerdicts } from './directory-verdicts.ts';

/**
 * Suspends, revokes or reinstates an organisation. Once committed, every remembered certificate
 * verdict is retired (`forgetDirectoryVerdicts`), so the change applies to the TPP's next request
 * on every instance.
 */
export async function setOrganisationStatus(db: Db, cache: Cache, organisationId: string, status: OrganisationStatus, now: Date = new Date()): Promise<Organisation> {
  const row = await db
    .updateTable('directory_organisations')
    .set({ status, updated_at: now })
    .where('id', '=', organisationId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError(DirectoryErrors.ORGANISATION_NOT_FOUND);
  await forgetDirectoryVerdicts(cache);
  return toOrganisation(row);
}
