import type { FastifyRequest } from 'fastify';

const codes = new WeakMap<FastifyRequest, string>();

/** Notes the error a request was answered with (the error handler does, for every error answer). */
export function noteErrorCode(request: FastifyRequest, code: string): void {
  codes.set(request, code);
}

/** The catalogue code of the error a request was answered with (`CONSENTS.NOT_FOUND`…); undefined for a success. */
export function errorCodeOf(request: FastifyRequest): string | undefined {
  return codes.get(request);
}
