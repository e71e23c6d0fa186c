import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { ClientCertificate } from '../platform/http/index.ts';

/**
 * oidc-provider asks whether a client certificate is trusted synchronously
 * (`features.mTLS.certificateAuthorized`), but the directory's answer (chain, revocation,
 * organisation status) needs the database. So a preHandler on the provider's routes asks the
 * directory first and records the answer on the raw request, where the synchronous hooks read it.
 * Asked on every request, never cached: a revocation or suspension holds from the next request.
 */
const verdicts = new WeakMap<IncomingMessage, boolean>();

/** The directory's verdict, shaped like `validateTppCertificate`'s result. */
export type CertificateCheck = (certificate: ClientCertificate) => Promise<{ ok: true } | { ok: false; error: { code: string } }>;

export function certificateTrustPreHandler(check: CertificateCheck) {
  return async (request: FastifyRequest): Promise<void> => {
    const certificate = request.clientCertificate();
    if (!certificate) return;
    const verdict = await check(certificate);
    if (!verdict.ok) request.log.info({ code: verdict.error.code }, 'client certificate refused by the directory');
    verdicts.set(request.raw, verdict.ok);
  };
}

/** true/false once the directory was asked for this request; undefined when it was not. */
export function certificateVerdictOf(req: IncomingMessage): boolean | undefined {
  return verdicts.get(req);
}

/** `certificateTrusted` for sandbox mode: only what the directory accepted on this very request. */
export const directoryCertificateTrusted = (_certificate: ClientCertificate, req: IncomingMessage): boolean => verdicts.get(req) === true;
