import path from 'node:path';
import { environmentSchema, type Environment } from './config.schema.ts';

/** Which part of the platform a process runs (docs/deployment.md). */
export type ProcessRole = Environment['ROLE'];

/** A secret given inline or as a file to read (a mounted secret). */
export type SecretSource = { readonly value: string } | { readonly file: string };

/** Where the private signing keys are made and used (KEY_MANAGER, docs/keys.md). */
export type KeyManagerConfig =
  | { readonly kind: 'local' }
  | { readonly kind: 'pkcs11'; readonly library: string; readonly tokenLabel: string; readonly pin: SecretSource }
  | { readonly kind: 'vault'; readonly url: string; readonly token: SecretSource; readonly mount: string; readonly namespace: string | undefined; readonly caFile: string | undefined };

function keyManagerConfig(env: Environment, cwd: string): KeyManagerConfig {
  const secret = (value: string | undefined, file: string | undefined): SecretSource => (value !== undefined ? { value } : { file: path.resolve(cwd, file!) });
  if (env.KEY_MANAGER === 'pkcs11') return { kind: 'pkcs11', library: env.PKCS11_LIBRARY!, tokenLabel: env.PKCS11_TOKEN_LABEL!, pin: secret(env.PKCS11_PIN, env.PKCS11_PIN_FILE) };
  if (env.KEY_MANAGER === 'vault') {
    return {
      kind: 'vault',
      url: env.VAULT_ADDR!.replace(/\/+$/, ''),
      token: secret(env.VAULT_TOKEN, env.VAULT_TOKEN_FILE),
      mount: env.VAULT_TRANSIT_MOUNT,
      namespace: env.VAULT_NAMESPACE,
      caFile: env.VAULT_CA_FILE && path.resolve(cwd, env.VAULT_CA_FILE),
    };
  }
  return { kind: 'local' };
}

/** The one typed configuration object, built once at start and passed down. */
/** How the revocation of TPP certificates is checked: what to do when no OCSP responder or CRL answers. */
export interface RevocationPolicyConfig {
  readonly mode: 'fail-closed' | 'soft-fail';
  /** soft-fail: the oldest good answer relied on. */
  readonly maxStalenessSeconds: number;
  /** Longest an answer is reused before it is asked again. */
  readonly recheckSeconds: number;
}

export interface Config {
  /**
   * `role`: `all` serves HTTP and runs jobs, relay and consumers (and migrates at start); `api` only
   * serves HTTP; `worker` only runs jobs, relay and consumers; `migrate` applies migrations and
   * exits. `replicas`: how many processes share the database (any role other than `all` counts as
   * more than one).
   */
  readonly process: { readonly role: ProcessRole; readonly replicas: number };
  readonly http: {
    readonly port: number;
    readonly host: string;
    readonly publicUrl: string;
    readonly bodyLimitBytes: number;
    /** Lower-case header name carrying a URL-encoded client certificate PEM from a trusted TLS proxy. */
    readonly trustProxyClientCertHeader: string | undefined;
    /** Fastify `trustProxy`: which proxies' X-Forwarded-For gives `request.ip` (false: the peer address). */
    readonly trustProxy: boolean | number | readonly string[];
    readonly tlsCertFile: string | undefined;
    readonly tlsKeyFile: string | undefined;
  };
  readonly dataDir: string;
  /** `preparedStatements`: the statements marked `prepared()` are kept prepared on each PostgreSQL connection (decision 0009f). */
  readonly database: { readonly url: string | undefined; readonly poolSize: number; readonly preparedStatements: boolean };
  /**
   * The shared cache: one Redis server (`redisUrl`), a Redis Cluster (its seed nodes,
   * `redisClusterNodes`) or neither (in memory). A Redis command slower than `commandTimeoutMs` fails
   * as an outage; after one, every command fails at once for `circuitOpenMs`, then one probes
   * (src/platform/cache).
   */
  readonly cache: {
    readonly redisUrl: string | undefined;
    readonly redisClusterNodes: readonly string[] | undefined;
    readonly commandTimeoutMs: number;
    readonly circuitOpenMs: number;
    /** Prefix of every key in Redis (`REDIS_KEY_PREFIX`): deployments sharing a server must not share keys. */
    readonly keyPrefix: string;
  };
  /** The event bus; `namespace` prefixes its subjects and names its JetStream stream. */
  readonly bus: { readonly natsUrl: string | undefined; readonly namespace: string };
  readonly outbox: { readonly pollMs: number };
  /** Jobs one worker has under way at the same time, and transactional ones running (src/platform/scheduler `concurrency`, `transactionalConcurrency`). */
  readonly scheduler: { readonly concurrency: number; readonly transactionalConcurrency: number; readonly retry: { readonly baseMs: number; readonly maxMs: number } };
  /**
   * The recurring housekeeping jobs: how often they run, and how long published outbox events,
   * finished (done or failed) scheduled jobs, the consumers' inbox records, the KPIs' figures and
   * idle risk subjects are kept before they are deleted.
   */
  readonly housekeeping: {
    readonly intervalMs: number;
    readonly outboxRetentionMs: number;
    readonly finishedJobRetentionMs: number;
    readonly inboxRetentionMs: number;
    /** Days the KPIs' figures are kept (whole UTC days), and days a risk subject may stay idle before it is forgotten. */
    readonly kpiRetentionDays: number;
    readonly riskSubjectRetentionDays: number;
  };
  /** The audit trail (docs/audit.md): its in-memory buffer, batches, write interval, overflow policy, retention and daily verification. */
  readonly audit: { readonly maxBuffered: number; readonly batchSize: number; readonly flushIntervalMs: number; readonly overflow: 'refuse' | 'drop'; readonly retentionDays: number; readonly dailyVerification: boolean };
  /**
   * Event notifications to TPPs: how long a notification is kept for its TPP, the longest wait of a
   * long poll, and the origins callbacks may use whatever their address (EVENTS_CALLBACK_ALLOWLIST;
   * in sandbox mode on a localhost PUBLIC_URL, this machine's https origins unless it is set).
   */
  readonly events: {
    readonly retentionMs: number;
    readonly longPollMs: number;
    readonly callbackAllowlist: readonly string[];
    /** Pushes: retry window and first delay, answer timeout, per-TPP concurrency, circuit open time. */
    readonly push: { readonly retryMs: number; readonly retryBaseMs: number; readonly timeoutMs: number; readonly concurrencyPerTpp: number; readonly circuitOpenMs: number };
    /** Extra CAs for the TPPs' callback servers (a PEM bundle file). */
    readonly callbackCaFile: string | undefined;
    /** The bank's transport certificate and key for pushes (PEM files); unset, the server's. */
    readonly transport: { readonly certFile: string; readonly keyFile: string } | undefined;
  };
  /**
   * The bank's core: `builtin` (the ledger in Portico's database) or `remote` (the bank's core
   * gateway, docs/core-gateway.md) with its URL, CA bundle and Portico's client certificate files,
   * the wait per attempt, retries of calls safe to repeat, the circuit breaker, and the change
   * feed's long-poll wait.
   */
  readonly core:
    | { readonly kind: 'builtin' }
    | {
        readonly kind: 'remote';
        readonly url: string;
        readonly caFile: string | undefined;
        readonly client: { readonly certFile: string; readonly keyFile: string } | undefined;
        readonly timeoutMs: number;
        readonly retries: number;
        readonly circuitFailures: number;
        readonly circuitOpenMs: number;
        readonly feedWaitSeconds: number;
      };
  /** AIS reads: how long a cached read of the core is served (0 = not cached). */
  readonly accounts: { readonly readCacheSeconds: number };
  /** OpenTelemetry tracing: the OTLP/HTTP collector and the service name; undefined: off. */
  readonly tracing: { readonly endpoint: string; readonly serviceName: string } | undefined;
  /** The local keystore's key-encryption keys (the first seals), inline or from a file; neither: one made in the data dir. */
  readonly keystore: { readonly keys: readonly string[] } | { readonly file: string } | undefined;
  /** Where new signing keys are made (KEY_MANAGER), and how often instances reload the keys. */
  readonly keys: { readonly manager: KeyManagerConfig; readonly refreshSeconds: number; readonly encryptPersonalData: boolean };
  readonly sandbox: { readonly enabled: boolean };
  /**
   * Production trust (SANDBOX=false). `directory`: the remote directory TPPs are trusted through —
   * the `iss` of its SSAs, its JWKS (the SSA signing keys), its API base (organisation and software
   * statement standing) and, optionally, the CA bundle its HTTPS server certificate chains to.
   * `clientTrustAnchors`: the CAs TPP transport certificates must chain to, as a PEM bundle file or
   * inline PEM. Both are unset in sandbox mode, whose own directory and QTSP play these parts.
   * `directory.revocation`: how the revocation of TPP certificates is checked (OCSP, then CRLs).
   */
  readonly trust: {
    /** The directory adapters enabled, in the order they are asked (DIRECTORY). */
    readonly adapters: readonly ('sandbox' | 'obie' | 'eidas')[];
    /** The eIDAS adapter's settings (DIRECTORY naming eidas). */
    readonly eidas:
      | {
          readonly revocation: RevocationPolicyConfig;
          readonly lotlUrl: string;
          readonly lotlSignersFile: string | undefined;
          readonly caSet: { readonly file: string; readonly territory: string } | undefined;
          readonly refreshHours: number;
        }
      | undefined;
    readonly directory:
      | {
          readonly issuer: string;
          readonly jwksUrl: string;
          readonly apiUrl: string;
          readonly caFile: string | undefined;
          readonly revocation: RevocationPolicyConfig;
          /** The oldest last good answer used while the directory cannot be reached (0: none). */
          readonly standingMaxStalenessSeconds: number;
        }
      | undefined;
    readonly clientTrustAnchors: { readonly file: string } | { readonly pem: string } | undefined;
  };
  /**
   * The competent authorities' registers (REGISTERS): which are held and consulted on every trust
   * decision, for the bank's `country`; where they are read from; how often a worker synchronises
   * them (0: only `portico registers sync`).
   */
  readonly registers: {
    readonly enabled: readonly ('EBA' | 'FCA' | 'CIR' | 'DNB')[];
    readonly country: string;
    readonly ebaMetadataUrl: string;
    /** Where the EBA Credit Institutions Register's search answers (POST, the whole register). */
    readonly cirUrl: string;
    readonly fca: { readonly apiUrl: string; readonly email: string; readonly key: SecretSource } | undefined;
    /** De Nederlandsche Bank's Public Register API: its subscription key and the Wft registers read (`WFTBI`, …). */
    readonly dnb: { readonly apiUrl: string; readonly key: SecretSource; readonly registerCodes: readonly string[] } | undefined;
    readonly syncIntervalHours: number;
  };
  /**
   * The bank (ASPSP) as the directory knows it. `organisationId` is its org_id, the audience OB DCR
   * v3.4 names for registration requests; in sandbox mode it defaults to SANDBOX_ASPSP_ORG_ID.
   */
  readonly aspsp: { readonly organisationId: string | undefined };
  /**
   * The authorisation server. `defaultFapiProfile` is the profile a client registering without a
   * `fapi_profile` is held to: FAPI 1.0 Advanced Final (the UK OB Security Profile), or FAPI 2.0
   * Security Profile (PAR + PKCE + `response_type=code`, mTLS-bound tokens), which then also
   * requires PAR of every authorisation request.
   */
  readonly auth: { readonly defaultFapiProfile: '1.0 Final' | '2.0' };
  readonly log: { readonly level: Environment['LOG_LEVEL'] };
  /** `/health/ready`'s time per dependency; on shutdown, how long it reads not ready before the server stops accepting. */
  readonly health: { readonly readyCheckTimeoutMs: number; readonly shutdownDelayMs: number };
  /** The Berlin Group NextGenPSD2 facade: whether requests must be signed (`XS2A_REQUEST_SIGNATURES`). */
  readonly xs2a: { readonly requestSignatures: 'required' | 'optional' };
  /** File payments (src/modules/payments): the largest file uploaded (413 above) and the most payments it may hold. */
  readonly filePayments: { readonly maxFileBytes: number; readonly maxTransactions: number };
  /** The bank's days off besides weekends (`PAYMENT_HOLIDAYS`): the TARGET2 closing days if listed, and further dates. */
  readonly paymentHolidays: { readonly target2: boolean; readonly dates: readonly string[] };
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
  readonly fx: { readonly contractKey: Uint8Array | undefined; readonly previousContractKeys: readonly Uint8Array[] };
  readonly login: LoginSettings;
  /** The operations console at /ops: single sign-on through the bank's OpenID provider, when configured (OPS_OIDC_*). */
  readonly opsConsole: {
    readonly oidc: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string; readonly usernameClaim: string } | undefined;
  };
  readonly rateLimits: RateLimitSettings;
  /** Anomaly detection (docs/risk.md): the window, its lag, each rule's automatic response, the throttle's allowance. */
  readonly risk: {
    readonly enabled: boolean;
    readonly windowMs: number;
    readonly lagMs: number;
    readonly responses: Readonly<Record<string, 'throttle' | 'suspend-client' | 'force-reauthentication'>>;
    readonly throttle: { readonly requests: number; readonly seconds: number };
  };
}

/** The API families limited separately (docs/configuration.md, "Rate limits"). */
export type RateLimitFamily = 'accounts' | 'payments' | 'funds' | 'consents' | 'events' | 'registration' | 'authorization' | 'berlin-group';

/**
 * Rate limits and quotas (`RATE_LIMIT*`, `AIS_UNATTENDED_READS_PER_DAY`; src/modules/rate-limits).
 * Per family: requests per window from one TPP (its OAuth client; Berlin Group: its organisation)
 * and, where a request acts under an authorised consent, under that consent. Counted in the shared
 * cache, so every instance applies the same allowance. `unattendedReadsPerDay` is OB's daily limit
 * of AIS reads without the PSU present, not switched off with `enabled`.
 */
export interface RateLimitSettings {
  readonly enabled: boolean;
  readonly windowSeconds: number;
  /**
   * How an instance takes an allowance from the shared count (decision 0017f): slices of at most
   * `maxLease` points (`RATE_LIMIT_LEASE`), sized for `instances` instances (`REPLICAS`; at least 2
   * for a role other than `all`, which runs beside others).
   */
  readonly lease: { readonly instances: number; readonly maxLease: number };
  readonly families: Readonly<Record<RateLimitFamily, { readonly perClient: number; readonly perConsent: number | undefined }>>;
  /** Undefined: no daily limit. */
  readonly unattendedReadsPerDay: number | undefined;
}

/**
 * PSU login throttling and the per-process bound on password hashing (`LOGIN_*`, enforced by
 * src/modules/psu-identity/login-guard.ts). Counts live in the shared cache, so every instance
 * applies the same limits; the hashing bound is per process.
 */
export interface LoginSettings {
  /** Attempts per (username, source) — and per (PSU, source) for one-time codes — before delays start. */
  readonly freeAttempts: number;
  /** The first delay; each further attempt doubles it, up to `delayMaxSeconds`. */
  readonly delayBaseSeconds: number;
  readonly delayMaxSeconds: number;
  /** How long attempt counts are kept (from the first attempt); a success clears them. */
  readonly attemptWindowSeconds: number;
  /** Attempts on one username from all sources together, against distributed guessing; then `delayMaxSeconds` for everyone. */
  readonly usernameMaxAttempts: number;
  /** One-time code attempts on one PSU from all sources together (the password is already known to whoever tries). */
  readonly oneTimeCodeMaxAttempts: number;
  /** Password attempts (each one a hash) per source address in `sourceWindowSeconds`, whatever the username. */
  readonly sourceMaxAttempts: number;
  readonly sourceWindowSeconds: number;
  /** Password hashes run at once by one process; further attempts queue. */
  readonly maxConcurrentHashes: number;
  /** Attempts that may wait for a hashing slot; beyond, they are refused with 429 at once. */
  readonly hashQueueLength: number;
  /** How long an attempt waits for a slot before it is refused with 429. */
  readonly hashWaitMs: number;
}

/** The sandbox bank's directory org_id (18 characters of [0-9a-zA-Z], the shape of OB org_ids). */
export const SANDBOX_ASPSP_ORG_ID = 'PorticoSandboxBank';

const HOUR_MS = 3_600_000;

/** This machine's https origins, any port: where a sandbox on localhost lets TPPs receive notifications. */
const LOCALHOST_ORIGINS = ['https://localhost:*', 'https://127.0.0.1:*', 'https://[::1]:*'];

function isLocalhost(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** `REGISTERS` names as the registers module names them. */
const REGISTER_NAMES = { eba: 'EBA', fca: 'FCA', cir: 'CIR', dnb: 'DNB' } as const;

export function configFromEnvironment(env: Environment, cwd: string): Config {
  const sandbox = env.SANDBOX ?? true;
  const publicUrl = (env.PUBLIC_URL ?? `https://localhost:${env.PORT}`).replace(/\/+$/, '');
  return {
    process: { role: env.ROLE, replicas: env.REPLICAS },
    http: {
      port: env.PORT,
      host: env.HOST,
      publicUrl,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trustProxyClientCertHeader: env.TRUST_PROXY_CLIENT_CERT_HEADER,
      trustProxy: env.TRUST_PROXY ?? false,
      tlsCertFile: env.TLS_CERT_FILE,
      tlsKeyFile: env.TLS_KEY_FILE,
    },
    dataDir: path.resolve(cwd, env.DATA_DIR),
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, preparedStatements: env.DATABASE_PREPARED_STATEMENTS },
    cache: { redisUrl: env.REDIS_URL, redisClusterNodes: env.REDIS_CLUSTER_NODES, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS, circuitOpenMs: env.REDIS_CIRCUIT_OPEN_MS, keyPrefix: env.REDIS_KEY_PREFIX },
    bus: { natsUrl: env.NATS_URL, namespace: env.NATS_NAMESPACE },
    outbox: { pollMs: env.OUTBOX_POLL_MS },
    scheduler: { concurrency: env.SCHEDULER_CONCURRENCY, transactionalConcurrency: env.SCHEDULER_TRANSACTIONAL_CONCURRENCY, retry: { baseMs: env.JOB_RETRY_BASE_MS, maxMs: env.JOB_RETRY_MAX_MS } },
    housekeeping: {
      intervalMs: env.HOUSEKEEPING_INTERVAL_SECONDS * 1000,
      outboxRetentionMs: env.OUTBOX_RETENTION_HOURS * HOUR_MS,
      finishedJobRetentionMs: env.FINISHED_JOB_RETENTION_HOURS * HOUR_MS,
      inboxRetentionMs: env.INBOX_RETENTION_HOURS * HOUR_MS,
      kpiRetentionDays: env.KPI_RETENTION_DAYS,
      riskSubjectRetentionDays: env.RISK_SUBJECT_RETENTION_DAYS,
    },
    audit: {
      maxBuffered: env.AUDIT_BUFFER_MAX_RECORDS,
      batchSize: env.AUDIT_BATCH_SIZE,
      flushIntervalMs: env.AUDIT_FLUSH_INTERVAL_MS,
      overflow: env.AUDIT_OVERFLOW,
      retentionDays: env.AUDIT_RETENTION_DAYS,
      dailyVerification: env.AUDIT_DAILY_VERIFICATION,
    },
    events: {
      retentionMs: env.EVENTS_RETENTION_HOURS * HOUR_MS,
      longPollMs: env.EVENTS_LONG_POLL_SECONDS * 1000,
      callbackAllowlist: env.EVENTS_CALLBACK_ALLOWLIST ?? (sandbox && isLocalhost(publicUrl) ? LOCALHOST_ORIGINS : []),
      push: {
        retryMs: env.EVENTS_PUSH_RETRY_SECONDS * 1000,
        retryBaseMs: env.EVENTS_PUSH_RETRY_BASE_MS,
        timeoutMs: env.EVENTS_PUSH_TIMEOUT_MS,
        concurrencyPerTpp: env.EVENTS_PUSH_CONCURRENCY_PER_TPP,
        circuitOpenMs: env.EVENTS_PUSH_CIRCUIT_OPEN_MS,
      },
      callbackCaFile: env.EVENTS_PUSH_CA_FILE && path.resolve(cwd, env.EVENTS_PUSH_CA_FILE),
      transport: env.EVENTS_TRANSPORT_CERT_FILE && env.EVENTS_TRANSPORT_KEY_FILE ? { certFile: path.resolve(cwd, env.EVENTS_TRANSPORT_CERT_FILE), keyFile: path.resolve(cwd, env.EVENTS_TRANSPORT_KEY_FILE) } : undefined,
    },
    core:
      env.CORE === 'remote' && env.CORE_GATEWAY_URL
        ? {
            kind: 'remote',
            url: env.CORE_GATEWAY_URL.replace(/\/+$/, ''),
            caFile: env.CORE_GATEWAY_CA_FILE && path.resolve(cwd, env.CORE_GATEWAY_CA_FILE),
            client: env.CORE_GATEWAY_CERT_FILE && env.CORE_GATEWAY_KEY_FILE ? { certFile: path.resolve(cwd, env.CORE_GATEWAY_CERT_FILE), keyFile: path.resolve(cwd, env.CORE_GATEWAY_KEY_FILE) } : undefined,
            timeoutMs: env.CORE_TIMEOUT_MS,
            retries: env.CORE_RETRIES,
            circuitFailures: env.CORE_CIRCUIT_FAILURES,
            circuitOpenMs: env.CORE_CIRCUIT_OPEN_MS,
            feedWaitSeconds: env.CORE_FEED_WAIT_SECONDS,
          }
        : { kind: 'builtin' },
    accounts: { readCacheSeconds: env.ACCOUNT_READ_CACHE_SECONDS },
    tracing: env.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME } : undefined,
    keystore: env.KEY_ENCRYPTION_KEYS ? { keys: env.KEY_ENCRYPTION_KEYS } : env.KEY_ENCRYPTION_KEY_FILE ? { file: path.resolve(cwd, env.KEY_ENCRYPTION_KEY_FILE) } : undefined,
    keys: { manager: keyManagerConfig(env, cwd), refreshSeconds: env.SIGNING_KEYS_REFRESH_SECONDS, encryptPersonalData: env.PERSONAL_DATA_ENCRYPTION },
    sandbox: { enabled: sandbox },
    trust: {
      adapters: env.DIRECTORY ?? (sandbox ? ['sandbox'] : env.DIRECTORY_ISSUER ? ['obie'] : []),
      eidas: env.DIRECTORY?.includes('eidas')
        ? {
            revocation: { mode: env.EIDAS_REVOCATION_POLICY, maxStalenessSeconds: env.EIDAS_REVOCATION_MAX_STALENESS_SECONDS ?? 0, recheckSeconds: env.EIDAS_REVOCATION_RECHECK_SECONDS },
            lotlUrl: env.TRUSTED_LISTS_LOTL_URL,
            lotlSignersFile: env.TRUSTED_LISTS_LOTL_SIGNERS_FILE && path.resolve(cwd, env.TRUSTED_LISTS_LOTL_SIGNERS_FILE),
            caSet: env.TRUSTED_CA_SET_FILE ? { file: path.resolve(cwd, env.TRUSTED_CA_SET_FILE), territory: env.TRUSTED_CA_SET_TERRITORY } : undefined,
            refreshHours: env.TRUSTED_LISTS_REFRESH_HOURS,
          }
        : undefined,
      directory:
        env.DIRECTORY_ISSUER && env.DIRECTORY_JWKS_URL && env.DIRECTORY_API_URL
          ? {
              issuer: env.DIRECTORY_ISSUER,
              jwksUrl: env.DIRECTORY_JWKS_URL,
              apiUrl: env.DIRECTORY_API_URL.replace(/\/+$/, ''),
              caFile: env.DIRECTORY_CA_FILE && path.resolve(cwd, env.DIRECTORY_CA_FILE),
              revocation: { mode: env.DIRECTORY_REVOCATION_POLICY, maxStalenessSeconds: env.DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS ?? 0, recheckSeconds: env.DIRECTORY_REVOCATION_RECHECK_SECONDS },
              standingMaxStalenessSeconds: env.DIRECTORY_STANDING_MAX_STALENESS_SECONDS,
            }
          : undefined,
      clientTrustAnchors: env.CLIENT_TRUST_ANCHORS_FILE
        ? { file: path.resolve(cwd, env.CLIENT_TRUST_ANCHORS_FILE) }
        : env.CLIENT_TRUST_ANCHORS
          ? { pem: env.CLIENT_TRUST_ANCHORS }
          : undefined,
    },
    registers: {
      enabled: (env.REGISTERS ?? []).map((name) => REGISTER_NAMES[name]),
      country: env.ASPSP_COUNTRY,
      ebaMetadataUrl: env.REGISTER_EBA_METADATA_URL,
      cirUrl: env.REGISTER_CIR_URL,
      fca:
        env.REGISTER_FCA_API_EMAIL && (env.REGISTER_FCA_API_KEY ?? env.REGISTER_FCA_API_KEY_FILE)
          ? {
              apiUrl: env.REGISTER_FCA_API_URL.replace(/\/+$/, ''),
              email: env.REGISTER_FCA_API_EMAIL,
              key: env.REGISTER_FCA_API_KEY !== undefined ? { value: env.REGISTER_FCA_API_KEY } : { file: path.resolve(cwd, env.REGISTER_FCA_API_KEY_FILE!) },
            }
          : undefined,
      dnb:
        (env.REGISTER_DNB_API_KEY ?? env.REGISTER_DNB_API_KEY_FILE)
          ? {
              apiUrl: env.REGISTER_DNB_API_URL.replace(/\/+$/, ''),
              key: env.REGISTER_DNB_API_KEY !== undefined ? { value: env.REGISTER_DNB_API_KEY } : { file: path.resolve(cwd, env.REGISTER_DNB_API_KEY_FILE!) },
              registerCodes: env.REGISTER_DNB_REGISTERS,
            }
          : undefined,
      syncIntervalHours: env.REGISTER_SYNC_INTERVAL_HOURS,
    },
    aspsp: { organisationId: env.ASPSP_ORG_ID ?? (sandbox ? SANDBOX_ASPSP_ORG_ID : undefined) },
    auth: { defaultFapiProfile: env.FAPI_PROFILE === '2.0' ? '2.0' : '1.0 Final' },
    log: { level: env.LOG_LEVEL },
    health: { readyCheckTimeoutMs: env.READY_CHECK_TIMEOUT_MS, shutdownDelayMs: env.SHUTDOWN_DELAY_MS },
    xs2a: { requestSignatures: env.XS2A_REQUEST_SIGNATURES },
    filePayments: { maxFileBytes: env.FILE_PAYMENT_MAX_BYTES, maxTransactions: env.FILE_PAYMENT_MAX_TRANSACTIONS },
    paymentHolidays: { target2: env.PAYMENT_HOLIDAYS.includes('TARGET2'), dates: env.PAYMENT_HOLIDAYS.filter((entry) => entry !== 'TARGET2' && entry !== 'none') },
    paymentScheme: { settlementDelayMs: env.SANDBOX_SETTLEMENT_DELAY_MS },
    fx: { contractKey: env.FX_CONTRACT_KEY, previousContractKeys: env.FX_CONTRACT_PREVIOUS_KEYS ?? [] },
    login: loginSettings(env),
    opsConsole: {
      oidc: env.OPS_OIDC_ISSUER && env.OPS_OIDC_CLIENT_ID && env.OPS_OIDC_CLIENT_SECRET
        ? { issuer: env.OPS_OIDC_ISSUER.replace(/\/+$/, ''), clientId: env.OPS_OIDC_CLIENT_ID, clientSecret: env.OPS_OIDC_CLIENT_SECRET, usernameClaim: env.OPS_OIDC_USERNAME_CLAIM }
        : undefined,
    },
    rateLimits: rateLimitSettings(env),
    risk: {
      enabled: env.RISK_DETECTION,
      windowMs: env.RISK_WINDOW_SECONDS * 1000,
      lagMs: env.RISK_WINDOW_LAG_SECONDS * 1000,
      responses: Object.fromEntries(env.RISK_RESPONSES === 'none' ? [] : env.RISK_RESPONSES.split(',').map((pair) => pair.split('=') as [string, 'throttle' | 'suspend-client' | 'force-reauthentication'])),
      throttle: { requests: env.RISK_THROTTLE_REQUESTS, seconds: env.RISK_THROTTLE_SECONDS },
    },
  };
}

function rateLimitSettings(env: Environment): RateLimitSettings {
  return {
    enabled: env.RATE_LIMITS,
    windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
    lease: { instances: env.ROLE === 'all' ? env.REPLICAS : Math.max(2, env.REPLICAS), maxLease: env.RATE_LIMIT_LEASE },
    families: {
      accounts: { perClient: env.RATE_LIMIT_ACCOUNTS_PER_CLIENT, perConsent: env.RATE_LIMIT_ACCOUNTS_PER_CONSENT },
      payments: { perClient: env.RATE_LIMIT_PAYMENTS_PER_CLIENT, perConsent: env.RATE_LIMIT_PAYMENTS_PER_CONSENT },
      funds: { perClient: env.RATE_LIMIT_FUNDS_PER_CLIENT, perConsent: env.RATE_LIMIT_FUNDS_PER_CONSENT },
      // Consent resources are addressed by id before any consent is established: per TPP only.
      consents: { perClient: env.RATE_LIMIT_CONSENTS_PER_CLIENT, perConsent: undefined },
      events: { perClient: env.RATE_LIMIT_EVENTS_PER_CLIENT, perConsent: undefined },
      registration: { perClient: env.RATE_LIMIT_REGISTRATION_PER_CLIENT, perConsent: undefined },
      // The authorization server's client endpoints, counted per transport certificate.
      authorization: { perClient: env.RATE_LIMIT_AUTHORIZATION_PER_CLIENT, perConsent: undefined },
      'berlin-group': { perClient: env.RATE_LIMIT_BERLIN_GROUP_PER_CLIENT, perConsent: env.RATE_LIMIT_BERLIN_GROUP_PER_CONSENT },
    },
    unattendedReadsPerDay: env.AIS_UNATTENDED_READS_PER_DAY === 0 ? undefined : env.AIS_UNATTENDED_READS_PER_DAY,
  };
}

function loginSettings(env: Environment): LoginSettings {
  return {
    freeAttempts: env.LOGIN_FREE_ATTEMPTS,
    delayBaseSeconds: env.LOGIN_DELAY_BASE_SECONDS,
    delayMaxSeconds: env.LOGIN_DELAY_MAX_SECONDS,
    attemptWindowSeconds: env.LOGIN_ATTEMPT_WINDOW_SECONDS,
    usernameMaxAttempts: env.LOGIN_USERNAME_MAX_ATTEMPTS,
    oneTimeCodeMaxAttempts: env.LOGIN_ONE_TIME_CODE_MAX_ATTEMPTS,
    sourceMaxAttempts: env.LOGIN_SOURCE_MAX_ATTEMPTS,
    sourceWindowSeconds: env.LOGIN_SOURCE_WINDOW_SECONDS,
    maxConcurrentHashes: env.LOGIN_MAX_CONCURRENT_HASHES,
    hashQueueLength: env.LOGIN_HASH_QUEUE_LENGTH,
    hashWaitMs: env.LOGIN_HASH_WAIT_MS,
  };
}

/** The `LOGIN_*` defaults, as the schema gives them. */
export const DEFAULT_LOGIN_SETTINGS: LoginSettings = loginSettings(environmentSchema.parse({}));
