import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import { fastifyRequestOf } from './client-certificate-bridge.ts';
import { endBrowserSession } from './end-browser-session.ts';
import { buildProviderConfiguration, type ProviderConfigurationOptions } from './provider-configuration.ts';

export interface AuthorizationServerOptions extends ProviderConfigurationOptions {
  /** The issuer identifier: the public base URL (DESIGN.md §3), `https://`, no path. */
  readonly issuer: string;
  readonly logger: Logger;
}

// Errors a TPP caused (bad client auth, invalid grant, …): worth a log line for support, not an alert.
const CLIENT_ERROR_EVENTS = [
  'authorization.error',
  'grant.error',
  'introspection.error',
  'revocation.error',
  'pushed_authorization_request.error',
  'userinfo.error',
  'jwks.error',
  'discovery.error',
];

interface OAuthError extends Error {
  error?: string;
  error_description?: string;
  error_detail?: string;
  status?: number;
}

/**
 * The FAPI authorisation server: panva's oidc-provider, configured for UK OB (see
 * provider-configuration.ts), storing its state in the platform database and signing with the keys
 * of the ring (`SigningKeyRing`, over `auth_signing_keys`). Mount it with `mountAuthorizationServer`.
 */
export async function createAuthorizationServer(options: AuthorizationServerOptions): Promise<Provider> {
  const issuer = new URL(options.issuer);
  if (issuer.protocol !== 'https:' || issuer.pathname !== '/' || issuer.search || issuer.hash) {
    // Endpoints are served at the root of the one HTTPS origin; a path prefix would need every
    // provider route re-mounted under it (OIDC Discovery §4.1, RFC 8414 §3).
    throw new Error(`the issuer must be an https origin without a path, got ${options.issuer}`);
  }
  const provider = new Provider(issuer.origin, buildProviderConfiguration(options));
  // TLS ends in this process, so X-Forwarded-* are client-supplied and never trusted; the mount
  // pins the host to the issuer's instead (see mount-authorization-server.ts).
  provider.proxy = false;

  const logFor = (req: IncomingMessage | undefined) => (req && fastifyRequestOf(req)?.log) || options.logger;
  // Typed as a plain emitter: @types/oidc-provider declares neither Koa's 'error' nor a union of events.
  const events = provider as unknown as EventEmitter;
  for (const event of CLIENT_ERROR_EVENTS) {
    events.on(event, (ctx: { req?: IncomingMessage }, error: OAuthError) => {
      logFor(ctx?.req).info(
        { event, error: error.error ?? error.message, description: error.error_description, detail: error.error_detail, status: error.status },
        'authorisation server rejected a request',
      );
    });
  }
  for (const event of ['authorization.success', 'authorization.error']) {
    events.on(event, (ctx: KoaContextWithOIDC) => endBrowserSession(provider, ctx, logFor(ctx.req)));
  }
  events.on('server_error', (ctx: { req?: IncomingMessage }, error: Error) => {
    logFor(ctx?.req).error({ err: error }, 'authorisation server error');
  });
  // Koa prints unhandled errors to stderr unless someone listens; route them to the log instead.
  events.on('error', (error: Error, ctx?: { req?: IncomingMessage }) => {
    logFor(ctx?.req).error({ err: error }, 'authorisation server error');
  });
  return provider;
}
