import type { Cache } from '../platform/cache/index.ts';
import type { Config } from '../platform/config/index.ts';
import { createHttpsFetch } from '../platform/https-client/index.ts';
import { readPemCertificates } from '../platform/tls/index.ts';
import { createRemoteDirectory, RevocationChecker, type DirectoryApi, type RegistersApi, type SandboxQtsp, type TppDirectory } from '../modules/directory/index.ts';

export interface TppTrust {
  /** The directory TPPs are trusted through; undefined when none is configured. */
  readonly directory: TppDirectory | undefined;
  /** CAs the TLS handshake asks TPP certificates to chain to (the directory checks the chain again). */
  readonly clientCaPems: readonly string[];
  close(): Promise<void>;
}

/**
 * The directory adapter of this configuration: in sandbox mode the platform's own directory and
 * QTSP; with SANDBOX=false the remote directory, client trust anchors and revocation policy of `config.trust`, then
 * the registers of `config.registers` when any is enabled; else
 * none, and no TPP can register or be served.
 */
export async function createTppDirectory(config: Config, ownDirectory: DirectoryApi, qtsp: SandboxQtsp | undefined, cache: Cache, registers: RegistersApi): Promise<TppTrust> {
  if (qtsp) {
    return {
      directory: ownDirectory.sandboxDirectory(qtsp, config.http.publicUrl),
      clientCaPems: [qtsp.rootCertificatePem, qtsp.issuingCertificatePem],
      close: async () => {},
    };
  }
  const { directory, clientTrustAnchors } = config.trust;
  if (!directory || !clientTrustAnchors) return { directory: undefined, clientCaPems: [], close: async () => {} };
  const clientTrustAnchorPems = await readPemCertificates(clientTrustAnchors);
  const fetch = createHttpsFetch({ caPems: directory.caFile ? await readPemCertificates({ file: directory.caFile }) : undefined });
  // OCSP responders and CRLs are the QTSPs', mostly over plain HTTP: their answers are signed.
  const revocationFetch = createHttpsFetch({ allowPlainHttp: true });
  const revocation = new RevocationChecker({ fetch: revocationFetch, cache, policy: directory.revocation });
  const remote = createRemoteDirectory({ issuer: directory.issuer, jwksUrl: directory.jwksUrl, apiUrl: directory.apiUrl, clientTrustAnchorPems, fetch, revocation });
  return {
    // With REGISTERS, what the directory vouches for must also be authorised in the bank's country.
    directory: config.registers.enabled.length > 0 ? registers.withRegisterChecks(remote, config.registers.country) : remote,
    clientCaPems: clientTrustAnchorPems,
    close: async () => {
      await fetch.close();
      await revocationFetch.close();
    },
  };
}
