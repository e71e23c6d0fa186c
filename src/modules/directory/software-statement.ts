import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { TppRole } from './directory-model.ts';
import { DirectoryErrors } from './directory.errors.ts';

/** A software statement as the directory holds it now (the SSA is a signed snapshot of it). */
export interface SoftwareStatement {
  readonly softwareId: string;
  readonly organisationId: string;
  readonly clientName: string;
  readonly roles: TppRole[];
  readonly redirectUris: string[];
  readonly status: 'Active' | 'Inactive';
}

/**
 * The SSA `iss` of this directory: the public base URL plus `/directory`, the prefix of its JWKS
 * and CRL endpoints. Relying parties check it when they verify an SSA.
 */
export function softwareStatementIssuer(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/directory`;
}

export async function getSoftwareStatement(db: Db, softwareId: string): Promise<SoftwareStatement> {
  const row = await db.selectFrom('directory_software_statements').selectAll().where('software_id', '=', softwareId).executeTakeFirst();
  if (!row) throw new AppError(DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND);
  return {
    softwareId: row.software_id,
    organisationId: row.organisation_id,
    clientName: row.client_name,
    roles: row.roles,
    redirectUris: row.redirect_uris,
    status: row.status,
  };
}
