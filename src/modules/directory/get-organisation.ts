import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { toOrganisation, type Organisation } from './directory-model.ts';
import { DirectoryErrors } from './directory.errors.ts';

export async function getOrganisation(db: Db, organisationId: string): Promise<Organisation> {
  const row = await db.selectFrom('directory_organisations').selectAll().where('id', '=', organisationId).executeTakeFirst();
  if (!row) throw new AppError(DirectoryErrors.ORGANISATION_NOT_FOUND);
  return toOrganisation(row);
}
