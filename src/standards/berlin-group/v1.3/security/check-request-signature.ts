import { AppError } from '../../../../platform/errors/index.ts';
import { rawBodyOf } from '../../../../platform/http/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { verifyHttpSignature } from './http-signature.ts';
import { checksAsOf, tppOf, type Xs2aCertificateCheck, type Xs2aStep } from './xs2a-context.ts';

/** Whether this bank requires XS2A requests to be signed (`XS2A_REQUEST_SIGNATURES`). */
export type RequestSignaturePolicy = 'required' | 'optional';

const MISSING_REASONS = new Set(['signature-missing', 'digest-missing', 'certificate-missing']);

/**
 * NextGenPSD2 request signing (Implementation Guidelines §12, draft-cavage HTTP signatures): the
 * `Digest` of the body as sent, the `Signature` over it and the mandatory headers, made with the
 * QSealC in `TPP-Signature-Certificate` — which the directory must trust as a seal now and which
 * must belong to the TPP of the QWAC. Where signing is optional, an unsigned request passes and a
 * signed one is still verified. Runs as a `preHandler` (the body's bytes are read by then).
 */
export function checkRequestSignature(policy: RequestSignaturePolicy, check: Xs2aCertificateCheck): Xs2aStep {
  return async (request) => {
    const signed = request.headers['signature'] !== undefined || request.headers['digest'] !== undefined || request.headers['tpp-signature-certificate'] !== undefined;
    if (!signed && policy === 'optional') return;
    const verified = verifyHttpSignature({ method: request.method, url: request.url, headers: request.headers, body: rawBodyOf(request) });
    if (!verified.ok) {
      if (!signed || MISSING_REASONS.has(verified.reason)) throw new AppError(Xs2aErrors.SIGNATURE_MISSING, { message: verified.message });
      throw new AppError(Xs2aErrors.SIGNATURE_INVALID, { message: verified.message });
    }
    const seal = await check(verified.certificateDer, 'signing', checksAsOf(request));
    if (!seal.ok) throw seal.error;
    if (seal.organisation.id !== tppOf(request).organisationId) throw new AppError(Xs2aErrors.SEAL_NOT_OF_TPP);
  };
}
