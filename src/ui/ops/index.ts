import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { isAppError } from '../../platform/errors/index.ts';
import { repeatedField } from '../../platform/http/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import { opsGuard } from './ops-guard.ts';
import { html, opsPage, sendOpsPage } from './ops-layout.ts';
import { opsLoginRoutes } from './ops-login.routes.ts';
import { opsSingleSignOnRoutes } from './ops-single-sign-on.routes.ts';
import { opsTppsRoutes } from './ops-tpps.routes.ts';
import { opsSearchRoutes } from './ops-search.routes.ts';
import { opsAlertsRoutes } from './ops-alerts.routes.ts';
import { opsPerformanceRoutes } from './ops-performance.routes.ts';
import { opsAuditRoutes } from './ops-audit.routes.ts';
import { opsOperatorsRoutes } from './ops-operators.routes.ts';
import { opsPasskeyLoginRoutes } from './ops-passkey-login.routes.ts';
import { opsPasskeysRoutes } from './ops-passkeys.routes.ts';
import { readWebAuthnAssets } from '../psu/webauthn-assets.ts';

export type { OpsAlert, OpsAlerts, OpsCertificate, OpsClient, OpsConsents, OpsConsoleOptions, OpsPayment, OpsSessionStore, OpsSingleSignOn, OpsTpp, OpsTpps } from './ops-console-options.ts';
export { OPS_PAGE_CSP } from './ops-layout.ts';

/** The page of a request the console could not serve: what went wrong, and the way back. */
const problemPage = (message: string) => opsPage({ title: 'Something went wrong', body: html`<p class="error" role="alert">${message}</p><p><a href="/ops">Back to the console</a></p>` });

/**
 * The operations console at `/ops` (docs/operations-console.md): server-rendered pages for the
 * bank's staff, each action checked (session, anti-forgery token, role) and recorded in the audit trail.
 */
export async function opsConsole(app: FastifyInstance, options: OpsConsoleOptions): Promise<void> {
  await app.register(formbody);
  await app.register(cookie);
  const guard = opsGuard(options);
  const routes = { ...options, guard };
  // A console page never strands the operator on a JSON error: exposed errors and 500s are pages.
  // A request the server could not read (a body that is not JSON) is the client's 4xx, not a 500.
  app.setErrorHandler(async (error, request, reply) => {
    const exposed = isAppError(error) && error.definition.expose;
    const statusCode = isAppError(error) ? undefined : (error as { statusCode?: unknown }).statusCode;
    const clientError = typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusCode : undefined;
    if (!exposed && !clientError) request.log.error({ err: error }, 'operations console error');
    const status = exposed ? error.status : (clientError ?? 500);
    const message = exposed ? error.message : clientError ? 'The console could not read this request.' : `The console could not do this (${request.id}).`;
    return sendOpsPage(reply, problemPage(message), status);
  });
  // The console's forms and links send each field once: a field given twice reaches the routes as
  // an array where they read text. Refused here, once for every page, as the client's error.
  app.addHook('preValidation', async (request, reply) => {
    if (repeatedField(request) === undefined) return;
    return sendOpsPage(reply, problemPage('The console could not read this request: a field is given more than once.'), 400);
  });
  const css = await fs.readFile(new URL('./assets/ops.css', import.meta.url));
  const charts = await fs.readFile(new URL('./assets/ops-charts.js', import.meta.url));
  app.get('/ops/assets/ops.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css));
  app.get('/ops/assets/ops-charts.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(charts));
  // Passkeys' browser side: the PSU pages' (the @simplewebauthn/browser bundle and the ceremony script).
  const webauthn = await readWebAuthnAssets();
  app.get('/ops/assets/webauthn.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(webauthn.bundle));
  app.get('/ops/assets/passkeys.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(webauthn.ceremonies));
  await app.register(opsLoginRoutes, routes);
  await app.register(opsPasskeyLoginRoutes, routes);
  await app.register(opsPasskeysRoutes, routes);
  if (options.singleSignOn) await app.register(opsSingleSignOnRoutes, { ...routes, singleSignOn: options.singleSignOn });
  await app.register(opsTppsRoutes, routes);
  await app.register(opsSearchRoutes, routes);
  await app.register(opsAlertsRoutes, routes);
  await app.register(opsPerformanceRoutes, routes);
  await app.register(opsAuditRoutes, routes);
  await app.register(opsOperatorsRoutes, routes);
}
