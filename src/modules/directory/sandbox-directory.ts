import { createLocalJWKSet } from 'jose';
import { getDirectoryJwks, getSoftwareJwks } from './directory-jwks.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';
import { softwareStatementIssuer } from './software-statement.ts';
import type { TppDirectory } from './tpp-directory.port.ts';
import { validateTppCertificate } from './validate-client-certificate.ts';

export interface SandboxDirectoryOptions {
  readonly records: DirectoryRepository;
  readonly qtsp: SandboxQtsp;
  /** The platform's public base URL: the directory's endpoints are under `/directory`. */
  readonly publicUrl: string;
}

/**
 * The sandbox adapter of the directory port: this platform's own directory tables and sandbox
 * QTSP, read directly (its JWKS endpoints are this platform's routes, so nothing goes over HTTP).
 */
export function createSandboxDirectory({ records, qtsp, publicUrl }: SandboxDirectoryOptions): TppDirectory {
  return {
    jwksUrl: `${softwareStatementIssuer(publicUrl)}/v1/jwks`,
    softwareStatementIssuer: softwareStatementIssuer(publicUrl),
    softwareStatementKeys: async (header, token) => createLocalJWKSet(await getDirectoryJwks(records))(header, token),
    validateCertificate: (certificate, options) => validateTppCertificate(records, qtsp, certificate, options),
    findSoftwareStatement: (softwareId) => records.findSoftwareStatement(softwareId),
    softwareSigningKeys: ({ softwareId }) => getSoftwareJwks(records, softwareId),
  };
}
