import { Generations, LocalMemo, retireGenerations, type Cache, type Freshness } from '../../platform/cache/index.ts';
import { derThumbprint } from './certificate-thumbprint.ts';
import type { JWK } from 'jose';
import type { SoftwareStatementStanding, TppDirectory } from './tpp-directory.port.ts';
import type { CertificateUsage, TppCertificateValidation } from './certificate-validation.ts';

/** One generation for the whole directory: its changes are rare, and each retires every verdict. */
export const DIRECTORY_GENERATION = 'directory:gen';

/**
 * Retires every remembered verdict, at every instance. Called after a change that can turn a
 * trusted certificate into an untrusted one commits (revocation, organisation status); throws when
 * the shared cache cannot be reached, so the change reports an error instead of applying late.
 */
export async function forgetDirectoryVerdicts(cache: Cache): Promise<void> {
  await retireGenerations(cache, DIRECTORY_GENERATION);
}

export interface DirectoryVerdictsOptions {
  /** Longest a positive verdict is reused (default 30 s); changes made through the module apply at once. */
  readonly maxAgeMs?: number;
  readonly maxEntries?: number;
}

type Accepted = Extract<TppCertificateValidation, { ok: true }>;

/** A software statement's standing and the signing keys its JWKS publishes (without revoked ones). */
export interface PublishedSigningKeys {
  /** Undefined when the directory does not know the software. */
  readonly statement: SoftwareStatementStanding | undefined;
  readonly keys: readonly JWK[];
}

/**
 * The directory's `validateCertificate` for the per-request resource checks, with positive verdicts remembered in
 * this process under the directory's generation in the shared cache (src/platform/cache
 * `Generations`) and never past the validity of the certificate path; and, the same way, an
 * active software statement's published signing keys (`softwareSigningKeys`). Refusals are never
 * remembered. A revocation or status change through this module retires the generation, so it
 * applies to the TPP's next call at every instance; a change made to the tables by other means, or
 * at a remote directory, applies within `maxAgeMs`. Without the shared cache every call reads the
 * directory.
 */
export class DirectoryVerdicts {
  private readonly generations: Generations;
  private readonly local: LocalMemo<Accepted>;
  private readonly signingKeys: LocalMemo<PublishedSigningKeys>;

  /** Thumbprints of the DER buffers seen: a connection presents the same buffer on every request. */
  private readonly thumbprints = new WeakMap<Uint8Array, string>();

  constructor(
    private readonly directory: TppDirectory,
    cache: Cache,
    options: DirectoryVerdictsOptions = {},
  ) {
    this.generations = new Generations(cache);
    const memo = { maxAgeMs: options.maxAgeMs ?? 30_000, maxEntries: options.maxEntries ?? 10_000, interruptions: () => cache.circuit().opens };
    this.local = new LocalMemo(memo);
    this.signingKeys = new LocalMemo(memo);
  }

  /**
   * The directory's verdict now. `asOf`: the moment the caller's request arrived — the directory's
   * generation may then come from a read of the shared cache another request issued since.
   */
  async validate(der: Uint8Array, usage: CertificateUsage = 'transport', now: Date = new Date(), asOf?: Freshness): Promise<TppCertificateValidation> {
    // The generation is read before the directory: a change committed after this point retires it.
    const generation = await this.generations.current(DIRECTORY_GENERATION, asOf);
    const key = `${usage}:${this.thumbprintOf(der)}`;
    const remembered = generation === undefined ? undefined : this.local.get(key, generation);
    if (remembered && remembered.certificate.notBefore <= now) return remembered;
    const verdict = await this.directory.validateCertificate(der, { usage, now });
    if (verdict.ok && generation !== undefined) this.local.set(key, generation, verdict, verdict.pathValidUntil.getTime());
    return verdict;
  }

  /**
   * The software statement's standing and the signing keys its JWKS publishes now. `kid`: the key
   * the caller is about to verify with. Remembered keys are reused only under the generation they
   * were read in, and only when they include `kid`: a key published since (a rotation, a new
   * certificate) is looked up at once, while a revoked one has retired the generation.
   */
  async softwareSigningKeys(software: { readonly softwareId: string; readonly jwksEndpoint: string }, kid: string | undefined, asOf?: Freshness): Promise<PublishedSigningKeys> {
    // The generation is read before the directory: a change committed after this point retires it.
    const generation = await this.generations.current(DIRECTORY_GENERATION, asOf);
    const key = `${software.softwareId} ${software.jwksEndpoint}`;
    const remembered = generation === undefined ? undefined : this.signingKeys.get(key, generation);
    if (remembered && (kid === undefined || remembered.keys.some((candidate) => candidate.kid === kid))) return remembered;
    const statement = await this.directory.findSoftwareStatement(software.softwareId);
    if (statement?.status !== 'Active') return { statement, keys: [] };
    const published: PublishedSigningKeys = { statement, keys: (await this.directory.softwareSigningKeys(software)).keys };
    if (generation !== undefined) this.signingKeys.set(key, generation, published);
    return published;
  }

  private thumbprintOf(der: Uint8Array): string {
    let thumbprint = this.thumbprints.get(der);
    if (thumbprint === undefined) this.thumbprints.set(der, (thumbprint = derThumbprint(der)));
    return thumbprint;
  }
}
