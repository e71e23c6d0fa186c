import { AppError } from '../../platform/errors/index.ts';
import type { Organisation } from './directory-model.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import { DirectoryErrors } from './directory.errors.ts';

export async function getOrganisation(records: DirectoryRepository, organisationId: string): Promise<Organisation> {
  const organisation = await records.findOrganisation(organisationId);
  if (!organisation) throw new AppError(DirectoryErrors.ORGANISATION_NOT_FOUND);
  return organisation;
}
