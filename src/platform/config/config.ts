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
  /**
   * The shared cache. A Redis command slower than `commandTimeoutMs` fails as an outage; after one,
   * every command fails at once for `circuitOpenMs`, then one probes (src/platform/cache).
   */
  readonly cache: { readonly redisUrl: string | undefined; readonly commandTimeoutMs: number; readonly circuitOpenMs: number };
  readonly bus: { readonly natsUrl: string | undefined };
  readonly outbox: { readonly pollMs: number };
  readonly sandbox: { readonly enabled: boolean };
  /**
   * The bank (ASPSP) as the directory knows it. `organisationId` is its org_id, the audience OB DCR
   * v3.4 names for registration requests; in sandbox mode it defaults to SANDBOX_ASPSP_ORG_ID.
   */
  readonly aspsp: { readonly organisationId: string | undefined };
  readonly log: { readonly level: Environment['LOG_LEVEL'] };
  readonly health: { readonly readyCheckTimeoutMs: number };
  /** File payments (src/modules/payments): the largest file uploaded (413 above) and the most payments it may hold. */
  readonly filePayments: { readonly maxFileBytes: number; readonly maxTransactions: number };
  /**
   * The sandbox payment scheme (src/modules/payments): how long after a payment leaving the bank is
   * sent (AcceptedSettlementInProcess) the scheme confirms its settlement (AcceptedSettlementCompleted).
   */
  readonly paymentScheme: { readonly settlementDelayMs: number };
  /**
   * The key the sandbox FX source authenticates its rate contracts with (src/core/fx): instances
   * sharing it honour each other's contracts, across restarts. Unset only in sandbox mode, where
   * one is generated at start.
   */
  readonly fx: { readonly contractKey: Uint8Array | undefined };
}

/** The sandbox bank's directory org_id (18 characters of [0-9a-zA-Z], the shape of OB org_ids). */
export const SANDBOX_ASPSP_ORG_ID = 'PorticoSandboxBank';

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
    cache: { redisUrl: env.REDIS_URL, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS, circuitOpenMs: env.REDIS_CIRCUIT_OPEN_MS },
    bus: { natsUrl: env.NATS_URL },
    outbox: { pollMs: env.OUTBOX_POLL_MS },
    sandbox: { enabled: env.SANDBOX },
    aspsp: { organisationId: env.ASPSP_ORG_ID ?? (env.SANDBOX ? SANDBOX_ASPSP_ORG_ID : undefined) },
    log: { level: env.LOG_LEVEL },
    health: { readyCheckTimeoutMs: env.READY_CHECK_TIMEOUT_MS },
    filePayments: { maxFileBytes: env.FILE_PAYMENT_MAX_BYTES, maxTransactions: env.FILE_PAYMENT_MAX_TRANSACTIONS },
    paymentScheme: { settlementDelayMs: env.SANDBOX_SETTLEMENT_DELAY_MS },
    fx: { contractKey: env.FX_CONTRACT_KEY },
  };
}
