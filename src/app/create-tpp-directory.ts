import type { Cache } from '../platform/cache/index.ts';
import type { Config } from '../platform/config/index.ts';
import { createHttpsFetch } from '../platform/https-client/index.ts';
import { readPemCertificates } from '../platform/tls/index.ts';
import {
  combineDirectories,
  createEidasDirectory,
  createRemoteDirectory,
  RevocationChecker,
  type DirectoryApi,
  type NamedDirectory,
  type RegistersApi,
  type SandboxQtsp,
  type TppDirectory,
  type TrustedListsApi,
  type UnknownEntityLookup,
} from '../modules/directory/index.ts';

export interface TppTrust {
  /** The directory TPPs are trusted through; undefined when none is configured. */
  readonly directory: TppDirectory | undefined;
  /** CAs the TLS handshake asks TPP certificates to chain to (the directory checks the chain again). */
  readonly clientCaPems: readonly string[];
  close(): Promise<void>;
}

export interface TrustModules {
  readonly ownDirectory: DirectoryApi;
  readonly qtsp: SandboxQtsp | undefined;
  readonly cache: Cache;
  readonly registers: RegistersApi;
  readonly trustedLists: TrustedListsApi;
  /** Asks a register read by entity (the FCA's) about a TPP no held register lists. */
  readonly lookUpUnknown?: UnknownEntityLookup | undefined;
}

/**
 * The directory adapters of this configuration: in sandbox mode the platform's own directory and
 * QTSP; with SANDBOX=false those DIRECTORY names — obie (the remote directory, client trust anchors
 * and revocation policy of `config.trust`) and eidas (qualified certificates checked against the
 * held trusted lists, with their own revocation policy) — asked in that order, then the registers
 * of `config.registers` when any is enabled; with none, no TPP can register or be served.
 */
export async function createTppDirectory(config: Config, { ownDirectory, qtsp, cache, registers, trustedLists, lookUpUnknown }: TrustModules): Promise<TppTrust> {
  if (qtsp) {
    return {
      directory: ownDirectory.sandboxDirectory(qtsp, config.http.publicUrl),
      clientCaPems: [qtsp.rootCertificatePem, qtsp.issuingCertificatePem],
      close: async () => {},
    };
  }
  const adapters: NamedDirectory[] = [];
  const closers: (() => Promise<void>)[] = [];
  const clientCaPems: string[] = [];
  // OCSP responders and CRLs are the QTSPs', mostly over plain HTTP: their answers are signed.
  const revocationFetch = createHttpsFetch({ allowPlainHttp: true });
  closers.push(() => revocationFetch.close());
  const { directory, clientTrustAnchors, eidas } = config.trust;
  if (config.trust.adapters.includes('obie') && directory && clientTrustAnchors) {
    const clientTrustAnchorPems = await readPemCertificates(clientTrustAnchors);
    const fetch = createHttpsFetch({ caPems: directory.caFile ? await readPemCertificates({ file: directory.caFile }) : undefined });
    closers.push(() => fetch.close());
    const revocation = new RevocationChecker({ fetch: revocationFetch, cache, policy: directory.revocation });
    const lastGoodCopies = { cache, maxAgeSeconds: directory.standingMaxStalenessSeconds };
    adapters.push({ name: 'obie', directory: createRemoteDirectory({ issuer: directory.issuer, jwksUrl: directory.jwksUrl, apiUrl: directory.apiUrl, clientTrustAnchorPems, fetch, revocation, lastGoodCopies }) });
    clientCaPems.push(...clientTrustAnchorPems);
  }
  if (config.trust.adapters.includes('eidas') && eidas) {
    const revocation = new RevocationChecker({ fetch: revocationFetch, cache, policy: eidas.revocation });
    adapters.push({ name: 'eidas', directory: createEidasDirectory({ trustedLists, revocation }) });
  }
  const close = async () => {
    for (const closer of closers) await closer();
  };
  if (adapters.length === 0) {
    await close();
    return { directory: undefined, clientCaPems: [], close: async () => {} };
  }
  const combined = combineDirectories(adapters);
  return {
    // With REGISTERS, what the adapters vouch for must also be authorised in the bank's country.
    directory: config.registers.enabled.length > 0 ? registers.withRegisterChecks(combined, config.registers.country, lookUpUnknown) : combined,
    clientCaPems,
    close,
  };
}
