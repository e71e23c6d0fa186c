import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/index.ts';
import { HttpErrors } from './http.errors.ts';
import { findUnstorableText } from './storable-text.ts';

/**
 * Route config of routes whose handler reads the raw request itself and answers its input errors
 * in its own format (oidc-provider's endpoints): this step leaves them alone.
 */
export const OWN_INPUT_CHECKS = { ownInputChecks: true } as const;

function refuse(request: FastifyRequest, part: 'params' | 'query' | 'body', value: unknown): void {
  if ((request.routeOptions.config as { ownInputChecks?: boolean } | undefined)?.ownInputChecks) return;
  const path = findUnstorableText(value, part === 'body' ? '' : part);
  if (path !== undefined) throw new AppError(HttpErrors.UNSTORABLE_TEXT, { details: [{ path: path === '' ? undefined : path }] });
}

/**
 * The edge step every request passes: no text that storage cannot hold (NUL, unpaired surrogates)
 * in path parameters, query or parsed body reaches a use case. Path ids like `%00` decode to NUL,
 * form fields too; PostgreSQL refuses them mid-query, which would be a 500. Runs first among the
 * server's `onRequest` hooks (params and query, before any security step looks an id up) and
 * `preValidation` hooks (bodies of any content type; JSON bodies already met the same rule in
 * `strictJsonParser`).
 */
export function installRefuseUnstorableText(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    refuse(request, 'params', request.params);
    refuse(request, 'query', request.query);
  });
  app.addHook('preValidation', async (request) => {
    refuse(request, 'body', request.body);
  });
}
