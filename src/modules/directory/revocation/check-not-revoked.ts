import type { ErrorDefinition } from '../../../platform/errors/index.ts';
import type { x509 } from '../../../platform/tls/index.ts';
import { DirectoryErrors } from '../directory.errors.ts';
import type { RevocationChecker, RevocationPolicy, RevocationStatus } from './revocation-checker.ts';
import { noted, type TrustTrace } from '../trust-trace.ts';
import { crlUrlsOf, ocspUrlsOf } from './revocation-sources.ts';

/**
 * RFC 5280 §6.3 for a validated path (leaf first, trust anchor last): the leaf's revocation status
 * must be established; a CA certificate below the anchor is checked too when it names where its
 * status is published (a QTSP's issuing CA usually does, under its root's CRL). The first failure
 * wins: revoked and unknown refuse the certificate (401); no answer under the policy is a service
 * failure (503), never an acceptance.
 */
export async function checkNotRevoked(revocation: RevocationChecker, path: readonly x509.X509Certificate[], now: Date, trace?: TrustTrace): Promise<ErrorDefinition | undefined> {
  for (let index = 0; index < path.length - 1; index += 1) {
    const certificate = path[index]!;
    if (index > 0 && ocspUrlsOf(certificate).length === 0 && crlUrlsOf(certificate).length === 0) continue;
    const status = await revocation.check(path.slice(index), { now });
    const error = noted(trace, `revocation of ${certificate.subjectName.getField('CN')[0] ?? certificate.subject}`, errorOf(status), () => describeStatus(status, revocation.policy));
    if (error) return error;
  }
  return undefined;
}

function describeStatus(status: RevocationStatus, policy: RevocationPolicy): string {
  if (status.status === 'unavailable') return `no answer (${policy.mode}): ${status.problems.join('; ') || 'the certificate names no OCSP responder or CRL'}`;
  const stale = status.status === 'good' && status.stale ? `, stale (soft-fail, up to ${policy.maxStalenessSeconds} s)` : '';
  const revoked = status.status === 'revoked' && status.revokedAt ? ` at ${status.revokedAt.toISOString()}` : '';
  return `${status.status}${revoked} by ${status.source}, checked ${status.checkedAt.toISOString()}${stale}`;
}

function errorOf(status: RevocationStatus): ErrorDefinition | undefined {
  switch (status.status) {
    case 'good':
      return undefined;
    case 'revoked':
      return DirectoryErrors.CERTIFICATE_REVOKED;
    case 'unknown':
      return DirectoryErrors.CERTIFICATE_REVOCATION_UNKNOWN;
    case 'unavailable':
      return DirectoryErrors.REVOCATION_UNAVAILABLE;
  }
}
