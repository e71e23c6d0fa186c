import { X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import type { ClientRegistry } from '../../../../modules/clients/index.ts';
import type { DirectoryVerdicts, PublishedSigningKeys, TppDirectory } from '../../../../modules/directory/index.ts';
import { boundedMemo } from '../../../../platform/memo/index.ts';

/** A TPP as a signer: its directory identity and the signing keys the directory publishes for it. */
export interface TppSigningKeys {
  /** The OB org_id. */
  readonly organisationId: string;
  readonly softwareId: string;
  /** The keys of its software statement's JWKS (`software_jwks_endpoint`) usable now. */
  readonly keys: readonly JWK[];
}

/** What the verification at hand needs: the key it names, and when the request's checks began. */
export interface SigningKeysWanted {
  readonly kid?: string | undefined;
  readonly asOf?: Parameters<DirectoryVerdicts['softwareSigningKeys']>[2];
}

/** The signing keys of the TPP behind an OAuth client, or undefined when the directory has none for it. */
export type TppSigningKeysResolver = (clientId: string, wanted?: SigningKeysWanted) => Promise<TppSigningKeys | undefined>;

export interface DirectoryTppSigningKeysOptions {
  readonly directory: Pick<TppDirectory, 'findSoftwareStatement' | 'softwareSigningKeys'>;
  /**
   * Remembers what the directory publishes under its generation (`DirectoryVerdicts`), as the
   * transport-certificate verdicts are; without it every call asks the directory.
   */
  readonly remembered?: Pick<DirectoryVerdicts, 'softwareSigningKeys'> | undefined;
  /** The client's registration (src/auth `createClientRegistry(...).find`): it names the software. */
  readonly findClient: ClientRegistry['find'];
  /**
   * The directory's verdict on a signing certificate now (a QSealC): the keys of a client registered
   * with its seal (eIDAS, no software statement) are usable only while their certificate is trusted.
   */
  readonly sealTrusted?: (der: Buffer) => Promise<boolean>;
  readonly now?: () => Date;
}

/**
 * Signing keys as the directory publishes them (DESIGN.md §3: the TPP's `signing.kid` is in its
 * JWKS at the SSA's `software_jwks_endpoint`). The client's registration (OB DCR) names its
 * software statement, organisation and JWKS endpoint; the keys are those the directory publishes
 * now, not the copy stored at registration: asked of the directory port, or remembered under the
 * directory's generation, which every revocation and status change retires at every instance
 * (decision 0009b). So a key the directory stops publishing (a revoked signing certificate's) stops
 * verifying at the next request, as does a key whose certificate has expired. An inactive software
 * statement, or one that moved organisation, has no keys.
 */
export function directoryTppSigningKeys(options: DirectoryTppSigningKeysOptions): TppSigningKeysResolver {
  const now = options.now ?? (() => new Date());
  const published = async (software: { softwareId: string; jwksEndpoint: string }, wanted: SigningKeysWanted): Promise<PublishedSigningKeys> => {
    if (options.remembered) return options.remembered.softwareSigningKeys(software, wanted.kid, wanted.asOf);
    const statement = await options.directory.findSoftwareStatement(software.softwareId);
    if (statement?.status !== 'Active') return { statement, keys: [] };
    return { statement, keys: (await options.directory.softwareSigningKeys(software)).keys };
  };
  return async (clientId, wanted = {}) => {
    const client = await options.findClient(clientId);
    const softwareId = client?.['software_id'];
    const organisationId = client?.['org_id'];
    const jwksEndpoint = client?.['software_jwks_endpoint'];
    if (typeof softwareId !== 'string' || typeof organisationId !== 'string') return undefined;
    if (client && jwksEndpoint === undefined && options.sealTrusted) return sealKeys(client, organisationId, softwareId, options.sealTrusted, now());
    if (typeof jwksEndpoint !== 'string') return undefined;
    const { statement, keys } = await published({ softwareId, jwksEndpoint }, wanted);
    if (!statement || statement.status !== 'Active' || statement.organisationId !== organisationId) return undefined;
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

/**
 * A client registered with its QSealC (eIDAS): its keys are its seal's, as registered, each usable
 * while the directory trusts its certificate (`x5c[0]`) as a signing certificate now — valid,
 * unrevoked, qualified, its organisation authorised.
 */
async function sealKeys(client: Record<string, unknown>, organisationId: string, softwareId: string, sealTrusted: (der: Buffer) => Promise<boolean>, at: Date): Promise<TppSigningKeys> {
  const registered = ((client['jwks'] as { keys?: JWK[] } | undefined)?.keys ?? []).filter((key) => key.x5c?.[0] !== undefined && certificateCurrent(key, at));
  const trusted = await Promise.all(registered.map((key) => sealTrusted(Buffer.from(key.x5c![0]!, 'base64'))));
  return { organisationId, softwareId, keys: registered.filter((_, index) => trusted[index]) };
}

/** RFC 7517 §4.7: `x5c[0]` is the key's own certificate; a key published with one is usable only inside its validity. */
function certificateCurrent(key: JWK, at: Date): boolean {
  const leaf = key.x5c?.[0];
  if (leaf === undefined) return true;
  const validity = certificateValidity.memo(leaf);
  return validity.from <= at.getTime() && at.getTime() < validity.to;
}
