import { z } from 'zod';
import { isOriginPattern } from '../https-client/origin-patterns.ts';
import { isCalendarDay } from '../calendar/index.ts';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be one of true, false, 1, 0, yes, no' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const urlWithProtocols = (protocols: string[]) =>
  z
    .string()
    .url({ message: 'must be a URL' })
    .refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
      message: `must use ${protocols.map((p) => p.replace(':', '://')).join(' or ')}`,
    });

const integer = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

/**
 * A secret key as base64 (standard or URL-safe alphabet, padding optional) of at least `minBytes`
 * bytes, e.g. `openssl rand -base64 32`.
 */
const base64Key = (minBytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, { message: `must be base64 (e.g. openssl rand -base64 ${minBytes})` })
    .transform((value) => new Uint8Array(Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')))
    .refine((key) => key.byteLength >= minBytes, { message: `must be base64 of at least ${minBytes} bytes (e.g. openssl rand -base64 ${minBytes})` });

/** Key-encryption keys: base64 of exactly 32 bytes each, comma-separated, the first one sealing. */
const keyEncryptionKeys = z
  .string()
  .transform((value) => value.split(',').map((key) => key.trim()).filter(Boolean))
  .refine((keys) => keys.length > 0 && keys.every((key) => /^[A-Za-z0-9+/]+={0,2}$/.test(key) && Buffer.from(key, 'base64').byteLength === 32), {
    message: 'must be base64 keys of 32 bytes, comma-separated, the current one first (e.g. openssl rand -base64 32)',
  });

/**
 * A comma-separated list of https origin patterns (`https://localhost:*`, `https://*.tpp.example:8443`):
 * host exact or `*.` for its subdomains, port exact or `*` (443 when left out).
 */
const originPatterns = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
  .refine((entries) => entries.every(isOriginPattern), {
    message: 'must be comma-separated https origins (https://host[:port]; host may start with *., port may be *)',
  });

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]+$/, { message: 'must be an HTTP header name (letters, digits, dashes)' })
  .transform((value) => value.toLowerCase());

/**
 * Fastify's `trustProxy`: `true`/`false`, a number of proxy hops, or a comma-separated list of proxy
 * addresses and CIDR ranges (e.g. `10.0.0.0/8,127.0.0.1`).
 */
const trustProxy = z.string().transform((value, context) => {
  const text = value.trim();
  if (['true', 'false'].includes(text)) return text === 'true';
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(entry))) return entries;
  context.addIssue({ code: 'custom', message: 'must be true, false, a number of hops, or comma-separated proxy addresses/CIDR ranges' });
  return z.NEVER;
});

/**
 * The environment variables Portico reads, with their defaults. docs/configuration.md documents
 * each; keep the two in step.
 */
export const environmentSchema = z.object({
  // Which part of the platform this process runs (docs/deployment.md): everything, HTTP only, jobs only, or migrations.
  ROLE: z.enum(['all', 'api', 'worker', 'migrate'], { message: 'must be one of all, api, worker, migrate' }).default('all'),
  // How many processes of the platform share the database; above 1, per-instance sandbox state is refused.
  REPLICAS: integer(1, 10_000).default(1),
  PORT: integer(1, 65535).default(8443),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: urlWithProtocols(['https:']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']).optional(),
  DATABASE_POOL_SIZE: integer(1, 500).default(10),
  // Hot statements kept prepared per connection; off behind a pooler that cannot keep them (PgBouncer before 1.21, or without max_prepared_statements).
  DATABASE_PREPARED_STATEMENTS: booleanFromEnv.default(true),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:']).optional(),
  // Seed nodes of a Redis Cluster (instead of REDIS_URL): the client learns the rest of the cluster from them.
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((text) => text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .pipe(z.array(urlWithProtocols(['redis:', 'rediss:']), { message: 'must be a comma-separated list of redis:// or rediss:// URLs' }).min(1, { message: 'must name at least one node' }))
    .optional(),
  // A Redis command slower than this counts as an outage; the circuit then fails fast for REDIS_CIRCUIT_OPEN_MS.
  REDIS_COMMAND_TIMEOUT_MS: integer(50, 10_000).default(500),
  REDIS_CIRCUIT_OPEN_MS: integer(100, 60_000).default(1000),
  // Prefix of every key Portico writes to Redis, so that several deployments can share one server.
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be 1 to 64 letters, digits, _ . : or -' }).default('portico:'),
  NATS_URL: urlWithProtocols(['nats:', 'tls:']).optional(),
  // Subject prefix and stream name root on NATS, so that several deployments can share one server.
  NATS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1 to 64 letters, digits, _ or -' }).default('portico'),
  // Defaults to on only for a localhost PUBLIC_URL (load-config.ts): sandbox mode publishes secrets.
  SANDBOX: booleanFromEnv.optional(),
  // The FAPI profile of clients that do not name one at registration (OB Security Profile: 1.0 Advanced).
  FAPI_PROFILE: z.enum(['1.0-advanced', '2.0']).default('1.0-advanced'),
  // OB DCR v3.4: the bank's org_id in the directory, accepted as the registration request `aud`.
  ASPSP_ORG_ID: z.string().regex(/^[0-9a-zA-Z]{1,18}$/, { message: 'must be 1 to 18 letters or digits (an OB directory org_id)' }).optional(),
  // Production trust (SANDBOX=false): the directory TPPs are trusted through, and the CAs their
  // transport certificates must chain to (docs/configuration.md, "Production trust").
  DIRECTORY_ISSUER: z.string().min(1).optional(),
  DIRECTORY_JWKS_URL: urlWithProtocols(['https:']).optional(),
  DIRECTORY_API_URL: urlWithProtocols(['https:']).optional(),
  DIRECTORY_CA_FILE: z.string().min(1).optional(),
  // The directory adapters TPPs are trusted through (docs/configuration.md, "Production trust"):
  // sandbox (sandbox mode), obie (an Open Banking-style directory), eidas (qualified certificates alone).
  DIRECTORY: z
    .string()
    .transform((value) => [...new Set(value.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))])
    .pipe(z.array(z.enum(['sandbox', 'obie', 'eidas'])).min(1, { message: 'must name sandbox, obie or eidas' }))
    .optional(),
  // Whether TPP certificates are revoked (OCSP, then CRLs): refuse when neither answers (fail-closed),
  // or rely on the last good answer up to a maximum staleness (soft-fail); answers are reused for
  // at most the recheck interval (docs/configuration.md, "Production trust").
  DIRECTORY_REVOCATION_POLICY: z.enum(['fail-closed', 'soft-fail']).default('fail-closed'),
  DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS: integer(1, 7 * 24 * 3600).optional(),
  DIRECTORY_REVOCATION_RECHECK_SECONDS: integer(0, 3600).default(30),
  // How old the directory's last good answer on an organisation or software statement may be when
  // it stands in for a directory that cannot be reached (0: never; the request is refused, 503).
  DIRECTORY_STANDING_MAX_STALENESS_SECONDS: integer(0, 7 * 24 * 3600).default(900),
  CLIENT_TRUST_ANCHORS_FILE: z.string().min(1).optional(),
  // The eIDAS adapter: its revocation policy, the EU List of Trusted Lists and the certificates that
  // sign it, a CA set held as a trusted list of its own (the UK's), and how often they are refreshed.
  EIDAS_REVOCATION_POLICY: z.enum(['fail-closed', 'soft-fail']).default('fail-closed'),
  EIDAS_REVOCATION_MAX_STALENESS_SECONDS: integer(1, 7 * 24 * 3600).optional(),
  EIDAS_REVOCATION_RECHECK_SECONDS: integer(0, 3600).default(30),
  TRUSTED_LISTS_LOTL_URL: urlWithProtocols(['https:', 'http:']).default('https://ec.europa.eu/tools/lotl/eu-lotl.xml'),
  TRUSTED_LISTS_LOTL_SIGNERS_FILE: z.string().min(1).optional(),
  TRUSTED_CA_SET_FILE: z.string().min(1).optional(),
  TRUSTED_CA_SET_TERRITORY: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
    .transform((value) => value.toUpperCase())
    .default('GB'),
  TRUSTED_LISTS_REFRESH_HOURS: integer(0, 24 * 30).default(24),
  // The competent authorities' registers TPPs must be authorised in, for the bank's country
  // (docs/configuration.md, "Registers"); none by default.
  REGISTERS: z
    .string()
    .transform((value) => [...new Set(value.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))])
    .pipe(z.array(z.enum(['eba', 'fca', 'cir', 'dnb'])).min(1, { message: 'must name one or more of eba, fca, cir, dnb' }))
    .optional(),
  ASPSP_COUNTRY: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
    .transform((value) => value.toUpperCase())
    .default('GB'),
  REGISTER_EBA_METADATA_URL: urlWithProtocols(['https:', 'http:']).default('https://euclid.eba.europa.eu/register/api/filemetadata'),
  REGISTER_CIR_URL: urlWithProtocols(['https:', 'http:']).default('https://euclid.eba.europa.eu/register/api/search/entities'),
  REGISTER_FCA_API_URL: urlWithProtocols(['https:', 'http:']).default('https://register.fca.org.uk/services/V0.1'),
  REGISTER_FCA_API_EMAIL: z.string().min(3).max(254).optional(),
  REGISTER_FCA_API_KEY: z.string().min(1).max(1024).optional(),
  REGISTER_FCA_API_KEY_FILE: z.string().min(1).optional(),
  REGISTER_DNB_API_URL: urlWithProtocols(['https:', 'http:']).default('https://api.dnb.nl/publicdata/v1'),
  REGISTER_DNB_API_KEY: z.string().min(1).max(1024).optional(),
  REGISTER_DNB_API_KEY_FILE: z.string().min(1).optional(),
  // DNB's Wft registers read (GET /api/publicregister/Registers lists their codes): payment and e-money institutions by default.
  REGISTER_DNB_REGISTERS: z
    .string()
    .transform((value) => [...new Set(value.split(',').map((code) => code.trim().toUpperCase()).filter(Boolean))])
    .pipe(z.array(z.string().regex(/^[A-Z0-9]{2,16}$/, { message: 'must be DNB register codes, e.g. WFTBI' })).min(1, { message: 'must name one or more DNB register codes, e.g. WFTBI' }))
    .default(['WFTBI', 'WFTEG']),
  REGISTER_SYNC_INTERVAL_HOURS: integer(0, 24 * 30).default(24),
  CLIENT_TRUST_ANCHORS: z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'must be PEM certificates (-----BEGIN CERTIFICATE-----)' }).optional(),
  TRUST_PROXY_CLIENT_CERT_HEADER: headerName.optional(),
  // Which proxies may set X-Forwarded-For (the client address login throttling keys on).
  TRUST_PROXY: trustProxy.optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  OUTBOX_POLL_MS: integer(10, 60_000).default(200),
  // Jobs a worker has under way at the same time (payment executions, run together in groups, among them),
  // and of those the transactional ones, each holding a database connection while it runs.
  SCHEDULER_CONCURRENCY: integer(1, 256).default(32),
  SCHEDULER_TRANSACTIONAL_CONCURRENCY: integer(1, 64).default(4),
  // A failed job's next attempt: after JOB_RETRY_BASE_MS, doubled each time up to JOB_RETRY_MAX_MS.
  JOB_RETRY_BASE_MS: integer(10, 3_600_000).default(10_000),
  JOB_RETRY_MAX_MS: integer(10, 86_400_000).default(15 * 60_000),
  // Housekeeping (src/app/housekeeping-jobs.ts): how often it runs, and how long finished rows are kept.
  HOUSEKEEPING_INTERVAL_SECONDS: integer(10, 86_400).default(300),
  OUTBOX_RETENTION_HOURS: integer(1, 87_600).default(168),
  FINISHED_JOB_RETENTION_HOURS: integer(1, 87_600).default(720),
  INBOX_RETENTION_HOURS: integer(1, 87_600).default(168),
  // The KPIs' figures (src/modules/insights): five years, as PSD2 keeps records; at least the two
  // quarters the RTS Art. 32 report reads. Anomaly detection's subjects idle this long are forgotten.
  KPI_RETENTION_DAYS: integer(190, 36_500).default(1827),
  RISK_SUBJECT_RETENTION_DAYS: integer(1, 36_500).default(180),
  READY_CHECK_TIMEOUT_MS: integer(50, 30_000).default(1500),
  // On SIGTERM: how long /health/ready answers 503 before the server stops accepting (load balancers' reaction time).
  SHUTDOWN_DELAY_MS: integer(0, 120_000).default(0),
  // The audit trail (src/modules/audit, docs/audit.md): records held in memory while the database
  // is slow or down, records per written batch (each batch checkpointed), how often the buffer is
  // written, what a full buffer does to new API calls (refuse: 503; drop: served, record lost and
  // counted), how many days a partition's records are kept after its day ends (its last
  // checkpoint is kept for good), and whether a worker verifies each day's chain once it has ended.
  AUDIT_BUFFER_MAX_RECORDS: integer(1000, 10_000_000).default(200_000),
  AUDIT_BATCH_SIZE: integer(1, 50_000).default(5000),
  AUDIT_FLUSH_INTERVAL_MS: integer(10, 60_000).default(1000),
  AUDIT_OVERFLOW: z.enum(['refuse', 'drop'], { message: 'must be refuse or drop' }).default('refuse'),
  AUDIT_RETENTION_DAYS: integer(1, 36_500).default(2555),
  AUDIT_DAILY_VERIFICATION: booleanFromEnv.default(true),
  // Event notifications to TPPs (src/modules/events, docs/events.md): how long a notification is kept
  // for its TPP, the longest wait of a long poll, and the operator's allow-list of callback origins.
  EVENTS_RETENTION_HOURS: integer(1, 8760).default(168),
  EVENTS_LONG_POLL_SECONDS: integer(0, 120).default(30),
  EVENTS_CALLBACK_ALLOWLIST: originPatterns.optional(),
  // Pushes to TPPs' callback URLs: how long one is retried, the first retry's delay (doubled each
  // time up to an hour), how long a TPP has to answer, pushes under way per TPP, how long a failing
  // TPP's circuit stays open, the CAs its server certificate may chain to besides Node's, and the
  // bank's transport certificate the pushes present (default: the server's).
  EVENTS_PUSH_RETRY_SECONDS: integer(1, 7 * 86_400).default(86_400),
  EVENTS_PUSH_RETRY_BASE_MS: integer(10, 3_600_000).default(1000),
  EVENTS_PUSH_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  EVENTS_PUSH_CONCURRENCY_PER_TPP: integer(1, 256).default(8),
  EVENTS_PUSH_CIRCUIT_OPEN_MS: integer(100, 3_600_000).default(30_000),
  EVENTS_PUSH_CA_FILE: z.string().min(1).optional(),
  EVENTS_TRANSPORT_CERT_FILE: z.string().min(1).optional(),
  EVENTS_TRANSPORT_KEY_FILE: z.string().min(1).optional(),
  // The bank's core (docs/core-gateway.md): the built-in ledger, or the bank's own core through its
  // core gateway over mutual TLS — its URL, the CA its certificate chains to, Portico's client
  // certificate, the wait per attempt, retries of calls safe to repeat, failures in a row that open
  // the circuit and how long it stays open, and how long a poll of the change feed may wait.
  // OpenTelemetry traces over OTLP/HTTP (JSON) to this collector, e.g. http://otel-collector:4318; unset: no tracing.
  OTEL_EXPORTER_OTLP_ENDPOINT: urlWithProtocols(['http:', 'https:']).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(100).default('portico'),
  CORE: z.enum(['builtin', 'remote']).default('builtin'),
  // The longest a cached read of the core (transactions, statements, orders …) is served: the
  // staleness bound of AIS reads while the core's events are not arriving; 0 = no read cache.
  ACCOUNT_READ_CACHE_SECONDS: integer(0, 86_400).default(60),
  CORE_GATEWAY_URL: urlWithProtocols(['https:']).optional(),
  CORE_GATEWAY_CA_FILE: z.string().min(1).optional(),
  CORE_GATEWAY_CERT_FILE: z.string().min(1).optional(),
  CORE_GATEWAY_KEY_FILE: z.string().min(1).optional(),
  CORE_TIMEOUT_MS: integer(50, 120_000).default(2000),
  CORE_RETRIES: integer(0, 10).default(2),
  CORE_CIRCUIT_FAILURES: integer(1, 1000).default(5),
  CORE_CIRCUIT_OPEN_MS: integer(100, 3_600_000).default(5000),
  CORE_FEED_WAIT_SECONDS: integer(0, 60).default(20),
  // Berlin Group NextGenPSD2: whether every request must be signed (Digest, Signature, QSealC);
  // `optional` verifies the requests that are signed and lets unsigned ones through.
  XS2A_REQUEST_SIGNATURES: z.enum(['required', 'optional']).default('optional'),
  // OB v4.0 file payments: the largest payment file accepted, and the most payments one may hold.
  FILE_PAYMENT_MAX_BYTES: integer(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  FILE_PAYMENT_MAX_TRANSACTIONS: integer(1, 100_000).default(1000),
  // The bank's days off besides weekends (standing orders' business-day rule): TARGET2's closing
  // days and/or listed dates, comma-separated; `none` for Monday to Friday.
  PAYMENT_HOLIDAYS: z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .refine((entries) => entries.every((entry) => entry === 'TARGET2' || entry === 'none' || isCalendarDay(entry)), {
      message: 'must be TARGET2, none, or dates YYYY-MM-DD, comma-separated',
    })
    .default(['TARGET2']),
  // ISO 20022: how long the sandbox payment scheme takes to confirm settlement (ACSP → ACSC).
  SANDBOX_SETTLEMENT_DELAY_MS: integer(0, 86_400_000).default(0),
  // The key the sandbox FX source MACs its rate contracts with (src/core/fx); a secret.
  FX_CONTRACT_KEY: base64Key(32).optional(),
  // Keys FX contracts were authenticated with before FX_CONTRACT_KEY, honoured during a rotation's overlap.
  FX_CONTRACT_PREVIOUS_KEYS: z
    .string()
    .transform((value, context) => {
      const keys = value.split(',').map((key) => key.trim()).filter(Boolean);
      const parsed = keys.map((key) => base64Key(32).safeParse(key));
      if (parsed.some((result) => !result.success)) context.addIssue({ code: 'custom', message: 'must be base64 keys of at least 32 bytes, comma-separated' });
      return parsed.flatMap((result) => (result.success ? [result.data] : []));
    })
    .optional(),
  // The local keystore: key-encryption keys sealing the private keys kept in the database (secrets);
  // inline, or in a file (one per line); unset, one made in DATA_DIR/keys for a single process.
  KEY_ENCRYPTION_KEYS: keyEncryptionKeys.optional(),
  KEY_ENCRYPTION_KEY_FILE: z.string().min(1).optional(),
  // Where new private signing keys are made and used (src/platform/keystore, decision 0012d).
  KEY_MANAGER: z.enum(['local', 'pkcs11', 'vault']).default('local'),
  // KEY_MANAGER=pkcs11: the HSM vendor's PKCS#11 module, the token (partition) and its user PIN (a secret).
  PKCS11_LIBRARY: z.string().min(1).optional(),
  PKCS11_TOKEN_LABEL: z.string().min(1).max(32).optional(),
  PKCS11_PIN: z.string().min(1).max(256).optional(),
  PKCS11_PIN_FILE: z.string().min(1).optional(),
  // KEY_MANAGER=vault: Vault's address, a token allowed to create, read and sign with transit keys (a secret).
  VAULT_ADDR: urlWithProtocols(['https:', 'http:']).optional(),
  VAULT_TOKEN: z.string().min(1).max(4096).optional(),
  VAULT_TOKEN_FILE: z.string().min(1).optional(),
  VAULT_TRANSIT_MOUNT: z.string().regex(/^[\w-]+(\/[\w-]+)*$/, 'must be a mount path such as transit').default('transit'),
  VAULT_NAMESPACE: z.string().min(1).optional(),
  VAULT_CA_FILE: z.string().min(1).optional(),
  // Personal data at rest (request bodies, the account read model) encrypted under data keys; off
  // only while instances of a version that cannot read it still run (docs/keys.md).
  PERSONAL_DATA_ENCRYPTION: booleanFromEnv.default(true),
  // How often each instance reloads the signing keys, so a rotation reaches it without a restart.
  SIGNING_KEYS_REFRESH_SECONDS: integer(1, 3600).default(30),
  // PSU login throttling (src/modules/psu-identity/login-guard.ts, docs/psu-authorisation.md).
  LOGIN_FREE_ATTEMPTS: integer(1, 1000).default(5),
  LOGIN_DELAY_BASE_SECONDS: integer(1, 86_400).default(30),
  LOGIN_DELAY_MAX_SECONDS: integer(1, 86_400).default(900),
  LOGIN_ATTEMPT_WINDOW_SECONDS: integer(60, 7 * 86_400).default(3600),
  LOGIN_USERNAME_MAX_ATTEMPTS: integer(1, 1_000_000).default(100),
  LOGIN_ONE_TIME_CODE_MAX_ATTEMPTS: integer(1, 1000).default(10),
  LOGIN_SOURCE_MAX_ATTEMPTS: integer(1, 1_000_000).default(60),
  LOGIN_SOURCE_WINDOW_SECONDS: integer(1, 86_400).default(60),
  LOGIN_MAX_CONCURRENT_HASHES: integer(1, 64).default(2),
  LOGIN_HASH_QUEUE_LENGTH: integer(0, 10_000).default(16),
  LOGIN_HASH_WAIT_MS: integer(0, 60_000).default(3000),
  // The operations console's single sign-on through the bank's OpenID provider (docs/operations-console.md): all three or none.
  OPS_OIDC_ISSUER: urlWithProtocols(['https:', 'http:']).optional(),
  OPS_OIDC_CLIENT_ID: z.string().min(1).max(1024).optional(),
  OPS_OIDC_CLIENT_SECRET: z.string().min(1).max(4096).optional(),
  OPS_OIDC_USERNAME_CLAIM: z.string().regex(/^[\w.:-]{1,128}$/, 'must be a claim name').default('preferred_username'),
  // Rate limits per TPP and per consent, per API family, counted in Redis across instances
  // (src/modules/rate-limits, docs/configuration.md "Rate limits"): requests per RATE_LIMIT_WINDOW_SECONDS.
  RATE_LIMITS: booleanFromEnv.default(true),
  RATE_LIMIT_WINDOW_SECONDS: integer(1, 3600).default(60),
  // The largest slice of an allowance an instance takes from Redis at once (decision 0017f); 1: every request counted in Redis.
  RATE_LIMIT_LEASE: integer(1, 1000).default(50),
  RATE_LIMIT_ACCOUNTS_PER_CLIENT: integer(1, 10_000_000).default(6000),
  RATE_LIMIT_ACCOUNTS_PER_CONSENT: integer(1, 10_000_000).default(600),
  RATE_LIMIT_PAYMENTS_PER_CLIENT: integer(1, 10_000_000).default(3000),
  RATE_LIMIT_PAYMENTS_PER_CONSENT: integer(1, 10_000_000).default(120),
  RATE_LIMIT_FUNDS_PER_CLIENT: integer(1, 10_000_000).default(3000),
  RATE_LIMIT_FUNDS_PER_CONSENT: integer(1, 10_000_000).default(300),
  RATE_LIMIT_CONSENTS_PER_CLIENT: integer(1, 10_000_000).default(1200),
  RATE_LIMIT_EVENTS_PER_CLIENT: integer(1, 10_000_000).default(600),
  RATE_LIMIT_REGISTRATION_PER_CLIENT: integer(1, 10_000_000).default(300),
  RATE_LIMIT_AUTHORIZATION_PER_CLIENT: integer(1, 10_000_000).default(3000),
  RATE_LIMIT_BERLIN_GROUP_PER_CLIENT: integer(1, 10_000_000).default(6000),
  RATE_LIMIT_BERLIN_GROUP_PER_CONSENT: integer(1, 10_000_000).default(600),
  // OB v4.0 AIS: reads of one resource under one consent per UTC day without the PSU present (no
  // x-fapi-customer-ip-address; PSD2 RTS Art. 36(5)(b)); 0: no limit.
  AIS_UNATTENDED_READS_PER_DAY: integer(0, 10_000).default(4),
  // Anomaly detection (src/modules/risk, docs/risk.md): whether workers run it, the window, how long
  // after a window ends it is read, the automatic response of each rule (`rule=action,…`: throttle,
  // suspend-client, force-reauthentication; `none` for none) and the throttle's allowance.
  RISK_DETECTION: booleanFromEnv.default(true),
  RISK_WINDOW_SECONDS: integer(10, 3600).default(60),
  RISK_WINDOW_LAG_SECONDS: integer(0, 3600).default(30),
  RISK_RESPONSES: z
    .string()
    .regex(/^(none|[a-z-]+=(throttle|suspend-client|force-reauthentication)(,[a-z-]+=(throttle|suspend-client|force-reauthentication))*)$/, { message: 'must be none or rule=throttle|suspend-client|force-reauthentication, comma-separated' })
    .default('none'),
  RISK_THROTTLE_REQUESTS: integer(1, 10_000_000).default(60),
  RISK_THROTTLE_SECONDS: integer(60, 604_800).default(3600),
});

export type Environment = z.infer<typeof environmentSchema>;
