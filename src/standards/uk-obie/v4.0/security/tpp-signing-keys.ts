import { X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import type { ClientRegistry } from '../../../../modules/clients/index.ts';
import { DirectoryErrors, getSoftwareJwks, getSoftwareStatement, type SoftwareStatement } from '../../../../modules/directory/index.ts';
import type { Db } from '../../../../platform/db/index.ts';
import { isAppError } from '../../../../platform/errors/index.ts';

/** A TPP as a signer: its directory identity and the signing keys the directory publishes for it. */
export interface TppSigningKeys {
  /** The OB org_id. */
  readonly organisationId: string;
  readonly softwareId: string;
  /** The keys of its software statement's JWKS (`software_jwks_endpoint`) usable now. */
  readonly keys: readonly JWK[];
}

/** The signing keys of the TPP behind an OAuth client, or undefined when the directory has none for it. */
export type TppSigningKeysResolver = (clientId: string) => Promise<TppSigningKeys | undefined>;

export interface DirectoryTppSigningKeysOptions {
  readonly db: Db;
  /** The client's registration (src/auth `createClientRegistry(...).find`): it names the software. */
  readonly findClient: ClientRegistry['find'];
  readonly now?: () => Date;
}

/**
 * Signing keys as this platform's directory publishes them (DESIGN.md §3: the TPP's `signing.kid`
 * is in its JWKS at the SSA's `software_jwks_endpoint`). The client's registration (OB DCR) names its
 * software statement and organisation; the keys are read from the directory on every call, not from
 * the copy stored at registration, so a revoked signing certificate's key stops verifying at once
 * (getSoftwareJwks leaves it out), as does a key whose certificate has expired. An inactive software
 * statement, or one that moved organisation, has no keys.
 */
export function directoryTppSigningKeys(options: DirectoryTppSigningKeysOptions): TppSigningKeysResolver {
  const now = options.now ?? (() => new Date());
  return async (clientId) => {
    const client = await options.findClient(clientId);
    const softwareId = client?.['software_id'];
    const organisationId = client?.['org_id'];
    if (typeof softwareId !== 'string' || typeof organisationId !== 'string') return undefined;
    const statement = await softwareStatementOf(options.db, softwareId);
    if (!statement || statement.status !== 'Active' || statement.organisationId !== organisationId) return undefined;
    const { keys } = await getSoftwareJwks(options.db, softwareId);
    const at = now();
    return { organisationId, softwareId, keys: keys.filter((key) => certificateCurrent(key, at)) };
  };
}

async function softwareStatementOf(db: Db, softwareId: string): Promise<SoftwareStatement | undefined> {
  try {
    return await getSoftwareStatement(db, softwareId);
  } catch (error) {
    if (isAppError(error) && error.definition === DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND) return undefined;
    throw error;
  }
}

/** RFC 7517 §4.7: `x5c[0]` is the key's own certificate; a key published with one is usable only inside its validity. */
function certificateCurrent(key: JWK, at: Date): boolean {
  const leaf = key.x5c?.[0];
  if (leaf === undefined) return true;
  try {
    const certificate = new X509Certificate(Buffer.from(leaf, 'base64'));
    return Date.parse(certificate.validFrom) <= at.getTime() && at.getTime() < Date.parse(certificate.validTo);
  } catch {
    return false;
  }
}
