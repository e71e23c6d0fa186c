import { AppError } from '../../platform/errors/index.ts';
import type { SoftwareStatement } from './directory-model.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import { DirectoryErrors } from './directory.errors.ts';

/**
 * The SSA `iss` of this directory: the public base URL plus `/directory`, the prefix of its JWKS
 * and CRL endpoints. Relying parties check it when they verify an SSA.
 */
export function softwareStatementIssuer(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/directory`;
}

export async function getSoftwareStatement(records: DirectoryRepository, softwareId: string): Promise<SoftwareStatement> {
  const software = await records.findSoftwareStatement(softwareId);
  if (!software) throw new AppError(DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND);
  return software;
}
