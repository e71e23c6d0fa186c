import { createLocalJWKSet } from 'jose';
import type { Db } from '../../platform/db/index.ts';
import { isAppError } from '../../platform/errors/index.ts';
import { getDirectoryJwks, getSoftwareJwks } from './directory-jwks.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';
import { getSoftwareStatement, softwareStatementIssuer } from './software-statement.ts';
import type { TppDirectory } from './tpp-directory.port.ts';
import { validateTppCertificate } from './validate-client-certificate.ts';

export interface SandboxDirectoryOptions {
  readonly db: Db;
  readonly qtsp: SandboxQtsp;
  /** The platform's public base URL: the directory's endpoints are under `/directory`. */
  readonly publicUrl: string;
}

/**
 * The sandbox adapter of the directory port: this platform's own directory tables and sandbox
 * QTSP, read directly (its JWKS endpoints are this platform's routes, so nothing goes over HTTP).
 */
export function createSandboxDirectory({ db, qtsp, publicUrl }: SandboxDirectoryOptions): TppDirectory {
  return {
    jwksUrl: `${softwareStatementIssuer(publicUrl)}/v1/jwks`,
    softwareStatementIssuer: softwareStatementIssuer(publicUrl),
    softwareStatementKeys: async (header, token) => createLocalJWKSet(await getDirectoryJwks(db))(header, token),
    validateCertificate: (certificate, options) => validateTppCertificate(db, qtsp, certificate, options),
    async findSoftwareStatement(softwareId) {
      try {
        return await getSoftwareStatement(db, softwareId);
      } catch (error) {
        if (isAppError(error) && error.definition === DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND) return undefined;
        throw error;
      }
    },
    softwareSigningKeys: ({ softwareId }) => getSoftwareJwks(db, softwareId),
  };
}
