import type { AppError } from '../../../../platform/errors/index.ts';
import type { Freshness } from '../../../../modules/directory/index.ts';
import { freshnessOf, type SecurityStep } from './security-context.ts';

/**
 * The directory's verdict on a presented certificate (src/modules/directory `validateTppCertificate`),
 * as fresh as `asOf`, the moment the request's checks began.
 */
export type TppCertificateValidator = (der: Buffer, asOf: Freshness) => Promise<{ ok: true } | { ok: false; error: AppError }>;

/**
 * The presented transport certificate is one the directory vouches for right now: registered,
 * unrevoked, its PSD2 roles current and its organisation active. Read on every request, so
 * revoking a certificate or suspending an organisation applies to the TPP's next call, with a
 * token it already holds. Runs after `require-mtls`.
 */
export function checkTppCertificate(validate: TppCertificateValidator | undefined): SecurityStep {
  return async (request) => {
    const certificate = request.clientCertificate();
    if (!validate || !certificate) return;
    const verdict = await validate(certificate.der, freshnessOf(request));
    if (!verdict.ok) throw verdict.error;
  };
}
