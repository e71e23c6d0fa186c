import type { FastifyInstance, FastifyRequest } from 'fastify';
import { strictJsonParser } from './strict-json.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the JSON parser `captureRawBody` installs: the request body exactly as received. */
    rawBody: Buffer | null;
  }
}

/**
 * Keeps the bytes of JSON request bodies on `request.rawBody`, for the route family (encapsulated
 * plugin) it is called in. Fastify parses bodies and drops the bytes; a detached JWS signs the bytes
 * (OB "Message Signing": the signature covers the HTTP body as sent), and re-serialising the parsed
 * JSON would not reproduce them. Parsing itself stays the server's (`strictJsonParser`: UTF-8 only,
 * no duplicate members, no unstorable text, Fastify's prototype-poisoning settings, body limit and
 * error codes), so the JWS covers exactly the one meaning the bank reads.
 */
export function captureRawBody(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('rawBody')) app.decorateRequest('rawBody', null);
  const parse = strictJsonParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    parse(request, bytes, done);
  });
}

/**
 * Bodies of `mediaType` (e.g. `application/xml`) reach the route family's handlers as their bytes,
 * on `request.body` and on `request.rawBody` alike: the route parses them itself (with the parser
 * its format needs), and a signature over the body covers exactly those bytes. The server's body
 * limit applies (413 above). Call it in the encapsulated plugin of the routes that read them;
 * elsewhere such a body stays refused (415).
 */
export function acceptRawBody(app: FastifyInstance, mediaType: string): void {
  if (!app.hasRequestDecorator('rawBody')) app.decorateRequest('rawBody', null);
  app.addContentTypeParser(mediaType, { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, body);
  });
}

/**
 * The raw body of a request, for a signature check: empty when the request had none. Throws (a
 * 500, never a pass) when a body was parsed without `captureRawBody`: a route family that forgot it
 * fails closed instead of verifying a signature over the wrong bytes.
 */
export function rawBodyOf(request: FastifyRequest): Buffer {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  if (request.body === undefined || request.body === null) return Buffer.alloc(0);
  throw new Error('the request body was parsed without its bytes: call captureRawBody in the route family');
}
