import { X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import type { ClientRegistry } from '../../../../modules/clients/index.ts';
import type { TppDirectory } from '../../../../modules/directory/index.ts';
import { boundedMemo } from '../../../../platform/memo/index.ts';

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
  readonly directory: TppDirectory;
  /** The client's registration (src/auth `createClientRegistry(...).find`): it names the software. */
  readonly findClient: ClientRegistry['find'];
  readonly now?: () => Date;
}

/**
 * Signing keys as the directory publishes them (DESIGN.md §3: the TPP's `signing.kid` is in its
 * JWKS at the SSA's `software_jwks_endpoint`). The client's registration (OB DCR) names its
 * software statement, organisation and JWKS endpoint; the keys are asked of the directory port on
 * every call, not taken from the copy stored at registration, so a key the directory stops
 * publishing (a revoked signing certificate's) stops verifying as soon as the directory says so, as
 * does a key whose certificate has expired. An inactive software statement, or one that moved
 * organisation, has no keys.
 */
export function directoryTppSigningKeys(options: DirectoryTppSigningKeysOptions): TppSigningKeysResolver {
  const now = options.now ?? (() => new Date());
  return async (clientId) => {
    const client = await options.findClient(clientId);
    const softwareId = client?.['software_id'];
    const organisationId = client?.['org_id'];
    const jwksEndpoint = client?.['software_jwks_endpoint'];
    if (typeof softwareId !== 'string' || typeof organisationId !== 'string' || typeof jwksEndpoint !== 'string') return undefined;
    const statement = await options.directory.findSoftwareStatement(softwareId);
    if (!statement || statement.status !== 'Active' || statement.organisationId !== organisationId) return undefined;
    const { keys } = await options.directory.softwareSigningKeys({ softwareId, jwksEndpoint });
    const at = now();
    return { organisationId, softwareId, keys: keys.filter((key) => certificateCurrent(key, at)) };
  };
}

/** The validity of a key's certificate (`x5c[0]`, base64 DER); NaN bounds, which no time is within, when it does not parse. */
const certificateValidity = boundedMemo(1000, (leaf: string): { readonly from: number; readonly to: number } => {
  try {
    const certificate = new X509Certificate(Buffer.from(leaf, 'base64'));
    return { from: Date.parse(certificate.validFrom), to: Date.parse(certificate.validTo) };
  } catch {
    return { from: Number.NaN, to: Number.NaN };
  }
});

/** RFC 7517 §4.7: `x5c[0]` is the key's own certificate; a key published with one is usable only inside its validity. */
function certificateCurrent(key: JWK, at: Date): boolean {
  const leaf = key.x5c?.[0];
  if (leaf === undefined) return true;
  const validity = certificateValidity.memo(leaf);
  return validity.from <= at.getTime() && at.getTime() < validity.to;
}
