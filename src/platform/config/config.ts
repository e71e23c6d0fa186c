import path from 'node:path';
import type { Environment } from './config.schema.ts';

/** The one typed configuration object, built once at start and passed down. */
export interface Config {
  readonly http: {
    readonly port: number;
    readonly host: string;
    readonly publicUrl: string;
    readonly bodyLimitBytes: number;
    /** Lower-case header name carrying a URL-encoded client certificate PEM from a trusted TLS proxy. */
    readonly trustProxyClientCertHeader: string | undefined;
    readonly tlsCertFile: string | undefined;
    readonly tlsKeyFile: string | undefined;
  };
  readonly dataDir: string;
  readonly database: { readonly url: string | undefined; readonly poolSize: number };
  readonly cache: { readonly redisUrl: string | undefined };
  readonly bus: { readonly natsUrl: string | undefined };
  readonly outbox: { readonly pollMs: number };
  readonly sandbox: { readonly enabled: boolean };
  readonly log: { readonly level: Environment['LOG_LEVEL'] };
  readonly health: { readonly readyCheckTimeoutMs: number };
}

export function configFromEnvironment(env: Environment, cwd: string): Config {
  return {
    http: {
      port: env.PORT,
      host: env.HOST,
      publicUrl: (env.PUBLIC_URL ?? `https://localhost:${env.PORT}`).replace(/\/+$/, ''),
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trustProxyClientCertHeader: env.TRUST_PROXY_CLIENT_CERT_HEADER,
      tlsCertFile: env.TLS_CERT_FILE,
      tlsKeyFile: env.TLS_KEY_FILE,
    },
    dataDir: path.resolve(cwd, env.DATA_DIR),
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    cache: { redisUrl: env.REDIS_URL },
    bus: { natsUrl: env.NATS_URL },
    outbox: { pollMs: env.OUTBOX_POLL_MS },
    sandbox: { enabled: env.SANDBOX },
    log: { level: env.LOG_LEVEL },
    health: { readyCheckTimeoutMs: env.READY_CHECK_TIMEOUT_MS },
  };
}
