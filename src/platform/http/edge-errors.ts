import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/index.ts';
import type { ErrorRendererResolver } from './error-handler.ts';
import { renderableFrom } from './error-handler.ts';
import type { ErrorRenderer } from './error-renderer.ts';
import { HttpErrors } from './http.errors.ts';
import { INTERACTION_ID_HEADER } from './interaction-id.ts';

/** The longest request target served (RFC 9112 §3: 8000 octets is the recommended minimum to support). */
export const MAX_URL_BYTES = 8 * 1024;
/** The most header bytes served (Node's own default limit). */
export const MAX_HEADER_BYTES = 16 * 1024;
/**
 * Node's parser limit for the request line and headers together, well above the two limits above so
 * that requests exceeding those reach `checkRequestSize` and are answered 414 or 431 precisely; past
 * this, Node refuses the request itself (`clientErrorHandler`, 431).
 */
export const PARSER_MAX_HEADER_BYTES = 64 * 1024;

/**
 * RFC 9110 §15.5.15 (414) and RFC 6585 §5 (431): a request whose target or headers are beyond what
 * the server serves is answered with the standard's error body, like any other refusal.
 */
export function installRequestSizeLimits(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if ((request.raw.url ?? '').length > MAX_URL_BYTES) throw new AppError(HttpErrors.URI_TOO_LONG);
    let headerBytes = 0;
    const raw = request.raw.rawHeaders;
    for (let i = 0; i < raw.length; i++) headerBytes += raw[i]!.length + 2;
    if (headerBytes > MAX_HEADER_BYTES) throw new AppError(HttpErrors.HEADERS_TOO_LARGE);
  });
}

const FRAMEWORK_ERRORS: Record<string, AppError['definition']> = {
  FST_ERR_BAD_URL: HttpErrors.BAD_URL,
  FST_ERR_MAX_PARAM_LENGTH: HttpErrors.URI_TOO_LONG,
};

/**
 * Fastify's `frameworkErrors`: the router's refusals (a URL that is not valid percent-encoded UTF-8,
 * a path parameter longer than `maxParamLength`) happen before any hook runs; they are rendered as
 * the error handler renders everything else, with the interaction id the hooks would have set.
 */
export function frameworkErrorsHandler(resolveRenderer: ErrorRendererResolver) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const definition = FRAMEWORK_ERRORS[error.code] ?? HttpErrors.INTERNAL;
    const failure = new AppError(definition, { cause: error });
    if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: failure.code, status: failure.status }, 'request rejected');
    const { contentType, body, status = failure.status } = resolveRenderer(request)(renderableFrom(failure, request.id));
    void reply.header(INTERACTION_ID_HEADER, request.id).status(status).type(contentType).send(body);
  };
}

/** How long a connection refused by the parser is kept to read what the client still sends. */
const CLIENT_ERROR_LINGER_MS = 5_000;

/**
 * Fastify's `clientErrorHandler`, for what Node's HTTP parser refuses before there is a request:
 * malformed request lines or header bytes (400), headers beyond PARSER_MAX_HEADER_BYTES (431), a
 * request not received in time (408). There is no route to choose a format by, so `renderer`
 * writes the body; the response names a fresh interaction id and closes the connection.
 */
export function clientErrorHandler(renderer: ErrorRenderer | undefined) {
  return function (this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
    // A reset connection has no one left to answer (Node's documentation of 'clientError'); one
    // already answered is closing (the parser reports an error again for every later chunk).
    if (error.code === 'ECONNRESET' || socket.destroyed || socket.writableEnded) return;
    const definition =
      error.code === 'HPE_HEADER_OVERFLOW' ? HttpErrors.HEADERS_TOO_LARGE : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? HttpErrors.REQUEST_TIMEOUT : HttpErrors.MALFORMED_REQUEST;
    const failure = new AppError(definition, { cause: error });
    const interactionId = randomUUID();
    this.log.info({ interactionId, code: failure.code, status: failure.status, parserError: error.code }, 'request rejected by the HTTP parser');
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const rendered = renderer ? renderer(renderableFrom(failure, interactionId)) : { contentType: 'text/plain; charset=utf-8', body: failure.message };
    const text = typeof rendered.body === 'string' ? rendered.body : JSON.stringify(rendered.body);
    const head = [
      `HTTP/1.1 ${failure.status} ${STATUS_CODES[failure.status] ?? 'Error'}`,
      `content-type: ${rendered.contentType}`,
      `content-length: ${Buffer.byteLength(text)}`,
      `${INTERACTION_ID_HEADER}: ${interactionId}`,
      'cache-control: no-store',
      'x-content-type-options: nosniff',
      'connection: close',
    ].join('\r\n');
    socket.end(`${head}\r\n\r\n${text}`);
    // What the client still sends is read and dropped until it closes (bounded), so that closing
    // with unread bytes does not reset the connection before the client read this answer.
    socket.on('data', () => undefined);
    socket.resume();
    setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
  };
}
