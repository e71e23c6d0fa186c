import type { FastifyInstance } from 'fastify';
import { strictJsonParser } from '../../../../platform/http/index.ts';

/**
 * Keeps the bytes of JSON request bodies on `request.xs2aRawBody`: the `Digest` of a signed request
 * covers the body as sent, which re-serialising the parsed JSON would not reproduce. Parsing stays
 * the server's own (`strictJsonParser`).
 */
export function captureXs2aRawBody(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('xs2aRawBody')) app.decorateRequest('xs2aRawBody', null);
  const parse = strictJsonParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.xs2aRawBody = body as Buffer;
    parse(request, body as Buffer, done);
  });
}
