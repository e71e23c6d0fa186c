import type { FastifyInstance } from 'fastify';
import { retryAfterSeconds, toAppError } from '../../platform/http/index.ts';
import { requestFailedPage } from './error-page.ts';
import { sendPage } from './send-page.ts';

/**
 * PSU pages answer errors with a page, never the API error body: the server-wide handler renders
 * JSON for TPPs. Same status and logging as there; a 503 (the shared cache is down) says when to
 * retry (RFC 9110 §10.2.3), and the PSU can simply try again then.
 */
export function installPsuErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown, request, reply) => {
    const error = toAppError(thrown);
    if (error.status >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, 'request failed');
    else request.log.info({ code: error.code, status: error.status }, 'request rejected');
    if (error.status === 503) reply.header('retry-after', String(retryAfterSeconds(error)));
    return sendPage(reply, requestFailedPage(error.status, request.id), error.status);
  });
}
