import { createHash } from 'node:crypto';
import type { Cache } from '../../../platform/cache/index.ts';
import { readLimited, type HttpsFetch } from '../../../platform/https-client/index.ts';
import type { x509 } from '../../../platform/tls/index.ts';
import { readCrl, type CheckedCrl } from './crl.ts';
import { ocspRequestFor, readOcspResponse, type OcspAnswer } from './ocsp.ts';
import { crlUrlsOf, ocspUrlsOf } from './revocation-sources.ts';

/** What to do when no source can say whether a certificate is revoked. */
export interface RevocationPolicy {
  /**
   * `fail-closed` (the default): refuse the certificate. `soft-fail`: rely on the last answer that
   * said it was good, if it is no older than `maxStalenessSeconds`; refuse it otherwise.
   */
  readonly mode: 'fail-closed' | 'soft-fail';
  /** soft-fail only: the oldest answer relied on while no source answers. */
  readonly maxStalenessSeconds: number;
  /** Longest an answer is reused before the sources are asked again, even when it says it is current for longer. */
  readonly recheckSeconds: number;
}

/** An OCSP response about one certificate is a few kilobytes. */
const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;
/** The largest CRL read: QTSPs' CRLs run to a few megabytes. */
const MAX_CRL_BYTES = 32 * 1024 * 1024;

export const DEFAULT_REVOCATION_POLICY: RevocationPolicy = { mode: 'fail-closed', maxStalenessSeconds: 0, recheckSeconds: 60 };

export type RevocationSource = 'ocsp' | 'stapled-ocsp' | 'crl';

/** A certificate's revocation status, as far as it could be established. */
export type RevocationStatus =
  | { readonly status: 'good'; readonly source: RevocationSource; readonly checkedAt: Date; readonly stale: boolean }
  | { readonly status: 'revoked'; readonly source: RevocationSource; readonly checkedAt: Date; readonly revokedAt: Date | undefined }
  /** A source answered but does not know the certificate (RFC 6960 `unknown`): never accepted. */
  | { readonly status: 'unknown'; readonly source: RevocationSource; readonly checkedAt: Date }
  /** No source answered; `problems` says why, source by source. */
  | { readonly status: 'unavailable'; readonly problems: readonly string[] };

export interface RevocationCheckOptions {
  readonly now?: Date;
  /** An OCSP response the client presented with its certificate (stapled), checked like a fetched one. */
  readonly stapledOcsp?: Uint8Array | undefined;
}

export interface RevocationCheckerOptions {
  /** Fetches OCSP responses and CRLs (plain HTTP allowed: both are signed). */
  readonly fetch: HttpsFetch;
  /** Where answers are shared by every instance. */
  readonly cache: Cache;
  readonly policy?: RevocationPolicy;
  /** Most CRLs kept parsed in this process (default 50). */
  readonly maxCrls?: number;
}

/** An answer as the shared cache keeps it. */
interface Remembered {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly source: RevocationSource;
  readonly checkedAt: number;
  readonly freshUntil: number;
  readonly revokedAt?: number;
}

/**
 * Whether a certificate is revoked, asked of its issuer's OCSP responders (authorityInfoAccess),
 * then of its CRL distribution points, in that order; a stapled OCSP response is tried first.
 * Answers are shared through the cache until the earlier of their `nextUpdate` and
 * `recheckSeconds`, so one instance's answer serves all; a good answer is kept longer, up to
 * `maxStalenessSeconds`, for soft-fail. CRLs are kept parsed in this process until they are due.
 */
export class RevocationChecker {
  readonly policy: RevocationPolicy;
  private readonly crls = new Map<string, { crl: CheckedCrl; freshUntil: number }>();

  constructor(private readonly options: RevocationCheckerOptions) {
    this.policy = options.policy ?? DEFAULT_REVOCATION_POLICY;
  }

  /**
   * The status of the first certificate of `path` (a validated path: leaf, its issuer, and the
   * certificates above it up to the trust anchor).
   */
  async check(path: readonly x509.X509Certificate[], { now = new Date(), stapledOcsp }: RevocationCheckOptions = {}): Promise<RevocationStatus> {
    const [certificate, issuer, ...issuerAncestors] = path;
    if (!certificate || !issuer) throw new TypeError('a revocation check needs the certificate and its issuer');
    const key = cacheKey(certificate, issuer);
    const remembered = await this.remembered(key);
    if (remembered && remembered.freshUntil > now.getTime()) return statusOf(remembered, false);
    const problems: string[] = [];
    const answer = (await this.askOcsp(certificate, issuer, issuerAncestors, now, stapledOcsp, problems)) ?? (await this.askCrls(certificate, issuer, now, problems));
    if (answer) {
      await this.remember(key, answer, now);
      return statusOf(answer, false);
    }
    const staleFor = this.policy.maxStalenessSeconds * 1000;
    if (this.policy.mode === 'soft-fail' && remembered?.status === 'good' && now.getTime() - remembered.checkedAt <= staleFor) return statusOf(remembered, true);
    return { status: 'unavailable', problems };
  }

  private async askOcsp(certificate: x509.X509Certificate, issuer: x509.X509Certificate, issuerAncestors: x509.X509Certificate[], now: Date, stapled: Uint8Array | undefined, problems: string[]): Promise<Remembered | undefined> {
    if (stapled) {
      try {
        return this.fromOcsp(await readOcspResponse(stapled, certificate, issuer, { now, issuerAncestors }), 'stapled-ocsp', now);
      } catch (error) {
        problems.push(`stapled OCSP response: ${reasonOf(error)}`);
      }
    }
    for (const url of ocspUrlsOf(certificate)) {
      try {
        const request = await ocspRequestFor(certificate, issuer);
        const response = await this.options.fetch(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' }, body: request.der });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const der = await readLimited(response, MAX_OCSP_RESPONSE_BYTES);
        return this.fromOcsp(await readOcspResponse(der, certificate, issuer, { nonce: request.nonce, now, issuerAncestors }), 'ocsp', now);
      } catch (error) {
        problems.push(`OCSP ${url}: ${reasonOf(error)}`);
      }
    }
    return undefined;
  }

  private fromOcsp(answer: OcspAnswer, source: RevocationSource, now: Date): Remembered {
    return {
      status: answer.status,
      source,
      checkedAt: now.getTime(),
      freshUntil: this.freshUntil(now, answer.nextUpdate),
      ...(answer.revokedAt ? { revokedAt: answer.revokedAt.getTime() } : {}),
    };
  }

  private async askCrls(certificate: x509.X509Certificate, issuer: x509.X509Certificate, now: Date, problems: string[]): Promise<Remembered | undefined> {
    for (const url of crlUrlsOf(certificate)) {
      try {
        const crl = await this.crlAt(url, issuer, now);
        const revokedAt = crl.revokedAt(certificate.serialNumber);
        return {
          status: revokedAt ? 'revoked' : 'good',
          source: 'crl',
          checkedAt: now.getTime(),
          freshUntil: this.freshUntil(now, crl.nextUpdate),
          ...(revokedAt ? { revokedAt: revokedAt.getTime() } : {}),
        };
      } catch (error) {
        problems.push(`CRL ${url}: ${reasonOf(error)}`);
      }
    }
    return undefined;
  }

  private async crlAt(url: string, issuer: x509.X509Certificate, now: Date): Promise<CheckedCrl> {
    const kept = this.crls.get(`${url} ${issuer.subject}`);
    if (kept && kept.freshUntil > now.getTime()) return kept.crl;
    const response = await this.options.fetch(url, { headers: { accept: 'application/pkix-crl' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const crl = await readCrl(await readLimited(response, MAX_CRL_BYTES), issuer, now);
    if (this.crls.size >= (this.options.maxCrls ?? 50)) this.crls.delete(this.crls.keys().next().value!);
    this.crls.set(`${url} ${issuer.subject}`, { crl, freshUntil: this.freshUntil(now, crl.nextUpdate) });
    return crl;
  }

  private freshUntil(now: Date, nextUpdate: Date | undefined): number {
    const recheckAt = now.getTime() + this.policy.recheckSeconds * 1000;
    return nextUpdate ? Math.min(recheckAt, nextUpdate.getTime()) : recheckAt;
  }

  private async remembered(key: string): Promise<Remembered | undefined> {
    const value = await this.options.cache.get(key).catch(() => null);
    if (!value) return undefined;
    try {
      return JSON.parse(value) as Remembered;
    } catch {
      return undefined;
    }
  }

  private async remember(key: string, answer: Remembered, now: Date): Promise<void> {
    const keepSeconds = Math.max(Math.ceil((answer.freshUntil - now.getTime()) / 1000), answer.status === 'good' ? this.policy.maxStalenessSeconds : 0, 1);
    await this.options.cache.set(key, JSON.stringify(answer), keepSeconds).catch(() => undefined);
  }
}

/** One key per (issuer key, serial): the pair RFC 6960's CertID names. */
function cacheKey(certificate: x509.X509Certificate, issuer: x509.X509Certificate): string {
  const issuerKey = createHash('sha256').update(new Uint8Array(issuer.publicKey.rawData)).digest('base64url');
  return `revocation:${issuerKey}:${certificate.serialNumber.toLowerCase()}`;
}

function statusOf(answer: Remembered, stale: boolean): RevocationStatus {
  const checkedAt = new Date(answer.checkedAt);
  if (answer.status === 'good') return { status: 'good', source: answer.source, checkedAt, stale };
  if (answer.status === 'revoked') return { status: 'revoked', source: answer.source, checkedAt, revokedAt: answer.revokedAt === undefined ? undefined : new Date(answer.revokedAt) };
  return { status: 'unknown', source: answer.source, checkedAt };
}

/** An error's message with its cause's (`fetch failed` alone says nothing of a refused connection). */
function reasonOf(error: unknown): string {
  const { message, cause } = error as Error;
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}
