import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTracing } from '../platform/tracing/index.ts';
import type { KeySealer, PersonalDataCipher } from '../platform/keystore/index.ts';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from '../platform/config/index.ts';
import { createLogger, type Logger } from '../platform/logger/index.ts';
import { assertSchemaCurrent, createDatabase, migrateToLatest, type DatabaseHandle } from '../platform/db/index.ts';
import { createCache, registerCacheMetrics, type Cache } from '../platform/cache/index.ts';
import { createBus, type Bus } from '../platform/bus/index.ts';
import { ConsumerMetrics } from '../platform/events/index.ts';
import { OutboxMetrics, OutboxRelay } from '../platform/outbox/index.ts';
import { InProcessWake, PostgresWake, registerJobMetrics, Scheduler, type JobWake } from '../platform/scheduler/index.ts';
import { loadServerTls, readPemCertificates, type ServerTls } from '../platform/tls/index.ts';
import { lockDataDir } from '../platform/data-dir/index.ts';
import { paymentExecutionMetrics } from './payment-execution-metrics.ts';
import { NotificationMetrics } from './notification-metrics.ts';
import { porticoMigrations } from './portico-migrations.ts';
import { buildHttpServer, createHttpMetrics, registerHealthRoutes } from '../platform/http/index.ts';
import { type CoreBanking } from '../core/index.ts';
import { FixedRateExchange, type ExchangeRates } from '../core/fx/index.ts';
import { createOperatorToken, createSandboxModule, DEFAULT_SANDBOX_SEED } from '../modules/sandbox/index.ts';
import { createObNotificationSender, createObWireStore, createResponseSigner, createSetSigner, directoryTppSigningKeys, renderObErrorV4, trustAnchorsOf, ukObieV4Routes } from '../standards/uk-obie/v4.0/index.ts';
import { createAccessTokenVerifier, registeredClientsOfOrganisations, type SigningKeyRing } from '../auth/index.ts';
import { sandboxPsusRoutes } from '../standards/portico-sandbox/v1/psus.routes.ts';
import { sandboxTppsRoutes } from '../standards/portico-sandbox/v1/tpps.routes.ts';
import { sandboxOperatorRoutes } from '../standards/portico-sandbox/v1/operator.routes.ts';
import { sandboxTrustControlRoutes } from '../standards/portico-sandbox/v1/trust-controls.routes.ts';
import { directoryRoutes } from '../standards/portico-directory/v1/directory.routes.ts';
import { certificateLifecycleRoutes } from '../standards/portico-directory/v1/certificate-lifecycle.routes.ts';
import { createClientsModule } from '../modules/clients/index.ts';
import { CertificateExpiringV1, CertificateExpiringV2, createDirectoryModule, createRegistersModule, createTrustedListsModule, DirectoryVerdicts, RegisterStandingChangedV1, type SandboxQtsp, type TppDirectory } from '../modules/directory/index.ts';
import { createCore } from './create-core.ts';
import { loadKeySealer } from './key-sealer.ts';
import { loadBankSigningKeys, loadPayeeFingerprintKey, loadPersonalDataCipher } from './bank-signing-keys.ts';
import { coreGatewayMetrics, registerDatabasePoolMetrics } from './runtime-metrics.ts';
import { createTppDirectory } from './create-tpp-directory.ts';
import { registeredRedirectHosts } from './registered-redirect-hosts.ts';
import { certificateTrustPreHandler, clientAllowancePreHandler, ClientRegistrationCopies, createClientRegistry, directoryCertificateTrusted } from '../auth/index.ts';
import { dcrRoutes, isDcrRequest, renderDcrError } from '../standards/uk-obie/dcr-v3.4/index.ts';
import { createSigningBasketsModule } from '../modules/signing-baskets/index.ts';
import { BERLIN_GROUP_PREFIX, berlinGroupRoutes, createXs2aWireStore, executeXs2aPaymentsOnAuthorisation, renderXs2aError } from '../standards/berlin-group/v1.3/index.ts';
import { revokeGrantOnConsentEnd, createAuthorizationServer, mountAuthorizationServer, loadCookieKeys, consentFindAccount, consentTokenClaims } from '../auth/index.ts';
import { createHttpsFetch } from '../platform/https-client/index.ts';
import { housekeepingJobs, startHousekeeping } from './housekeeping-jobs.ts';
import { fcaLookup, registerSyncJobs } from './register-sync.ts';
import { trustedListRefreshJobs } from './trusted-lists-refresh.ts';
import { loadTrustDataIfNone } from './initial-trust-data.ts';
import { certificateExpiryJob } from './certificate-expiry-job.ts';
import { authorisationErrorPage, psuPages, PSU_INTERACTION_PREFIX, PSU_PAGE_CSP } from '../ui/psu/index.ts';
import { LoginGuard, relyingPartyFor } from '../modules/psu-identity/index.ts';
import { createRateLimitsModule } from '../modules/rate-limits/index.ts';
import { rateLimitMetrics } from './rate-limit-metrics.ts';
import { psuPagesOptions } from './psu-pages-options.ts';
import { createFundsModule } from '../modules/funds/index.ts';
import { createAuditModule, OperatorActedV1, type AuditApi } from '../modules/audit/index.ts';
import { auditApiCalls } from './audit-api-calls.ts';
import { auditedClients } from './audited-clients.ts';
import { auditCheckpointSigner } from './audit-checkpoint-signer.ts';
import { auditMetrics } from './audit-metrics.ts';
import { auditRetentionJob } from './audit-retention-job.ts';
import { dailyAuditVerificationJob, reportVerification } from './audit-verification-jobs.ts';
import { createRiskModule, type RiskApi } from '../modules/risk/index.ts';
import { riskDetectionJob, riskMetrics } from './risk-detection-job.ts';
import { riskResponses } from './risk-responses.ts';
import { createInsightsModule, type InsightsApi, type KpiCollector } from '../modules/insights/index.ts';
import { createOperatorsModule, type OperatorsApi } from '../modules/operators/index.ts';
import { opsConsole } from '../ui/ops/index.ts';
import { sandboxOperatorLoginsRoutes } from '../standards/portico-sandbox/v1/operator-logins.routes.ts';
import { opsAlertsOver, opsConsentsOver, opsTppsOver } from './ops-console-options.ts';
import { opsSingleSignOn } from './ops-single-sign-on.ts';
import { installApiCallKpis } from './api-call-kpis.ts';
import { landingRoutes } from '../ui/landing/index.ts';
import { AccountAccessLinkedAccountsChangedV1, ConsentCreatedV2, ConsentStatusChangedV2, createConsentsModule, retireCachedConsents, type ConsentsApi } from '../modules/consents/index.ts';
import { createAccountReadCache, createAccountsModule, keepReadModelCurrent } from '../modules/accounts/index.ts';
import { createEventsModule, type NotificationSender, type PushObserver } from '../modules/events/index.ts';
import { accountOrderRecording, createPaymentsModule, PaymentStatusChangedV2, RECORD_ACCOUNT_ORDER_JOB, SandboxPaymentScheme, StandingOrderProgressedV2, type PaymentsApi } from '../modules/payments/index.ts';

/** The configured FX contract key; in sandbox mode without one, a key made up now, with a warning. */
function fxContractKey(config: Config, logger: Logger): Uint8Array {
  if (config.fx.contractKey) return config.fx.contractKey;
  if (!config.sandbox.enabled) throw new Error('FX_CONTRACT_KEY must be set when SANDBOX is off and the payment APIs are served');
  logger.warn(
    'FX_CONTRACT_KEY is not set: FX rate contracts are signed with a key generated at start, so contracts quoted before a restart or by another instance are refused; set it (base64 of 32 bytes) to share them',
  );
  return randomBytes(32);
}

/** A URL of this machine the server answers on, covered by the sandbox server certificate. */
function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `https://127.0.0.1:${port}`;
  if (host === '::') return `https://[::1]:${port}`;
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The running platform: its adapters, its server, and how to stop it cleanly. */
export interface Portico {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  readonly cache: Cache;
  /** PSU login throttling and the bound on password hashing (src/modules/psu-identity). */
  readonly loginGuard: LoginGuard;
  readonly bus: Bus;
  readonly outbox: OutboxRelay;
  /** Durable jobs (payment execution, housekeeping); started by `listen()` where the role runs jobs. */
  readonly scheduler: Scheduler;
  /** How the HTTP side asks the workers to run jobs now (src/platform/scheduler/job-wake.ts). */
  readonly jobWake: JobWake;
  readonly core: CoreBanking;
  /** The local keystore: seals and opens the private keys kept in the database. */
  readonly sealer: KeySealer;
  /** The bank's signing keys as this instance holds them (reloaded as they rotate). */
  readonly signingKeys: SigningKeyRing;
  /** Encrypts personal data at rest under the data keys. */
  readonly personalData: PersonalDataCipher;
  /** The consents module, as every facade and page of this process holds it. */
  readonly consents: ConsentsApi;
  /** The exchange-rate source of international payments; undefined when the payment APIs are not served. */
  readonly exchangeRates: ExchangeRates | undefined;
  /** The payments module (src/modules/payments), whose jobs the scheduler runs. */
  readonly payments: PaymentsApi;
  readonly tls: ServerTls;
  /** The sandbox QTSP that issues TPP certificates (sandbox mode only). */
  readonly qtsp: SandboxQtsp | undefined;
  /** The directory TPPs are trusted through; undefined when none is configured (no TPP can be served). */
  readonly directory: TppDirectory | undefined;
  readonly server: FastifyInstance;
  /** The FAPI authorisation server (oidc-provider), mounted on `server`. */
  readonly authorizationServer: Provider;
  /** The audit trail (src/modules/audit): every API call, state change, PSU step and operator action, chained and signed. */
  readonly audit: AuditApi;
  /** API call KPIs, availability and the figures of the regulatory reports (src/modules/insights). */
  readonly insights: InsightsApi;
  /** Operator logins of the operations console at /ops (src/modules/operators). */
  readonly operators: OperatorsApi;
  /** This instance's recorder of the dedicated interface's calls; undefined where the role serves no API. */
  readonly apiCallKpis: KpiCollector | undefined;
  /** Anomaly detection over the audit trail: alerts, their evidence and responses (src/modules/risk, docs/risk.md). */
  readonly risk: RiskApi;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

export interface CreatePorticoOptions {
  readonly logger?: Logger;
  /**
   * Seed the sandbox bank when the database has none (default: when SANDBOX is on), with
   * DEFAULT_SANDBOX_SEED's customers and months of history unless given others.
   */
  readonly seedSandbox?: boolean | { readonly customers: number; readonly months: number };
  /**
   * Record each API call in the audit trail and the KPIs (default true). Off only to measure what
   * they cost (`npm run bench:audit`); no deployment configuration turns them off.
   */
  readonly observeCalls?: boolean;
}

/**
 * The composition root: builds every adapter from the config and wires modules and standards
 * into the one HTTPS server. Nothing else in the codebase chooses an adapter.
 */
export async function createPortico(config: Config, options: CreatePorticoOptions = {}): Promise<Portico> {
  const logger = options.logger ?? createLogger(config.log.level);
  // ROLE (docs/deployment.md): `api` serves HTTP and runs no jobs, relay or consumers; `worker` runs
  // those and serves only health and metrics; `all` does both. Only `all` migrates at start.
  const { role } = config.process;
  if (role === 'migrate') throw new Error('ROLE=migrate applies migrations and exits; it does not start the platform');
  const servesApi = role === 'all' || role === 'api';
  const runsJobs = role === 'all' || role === 'worker';
  const closers: Array<() => Promise<void>> = [];
  // Shutting down, an instance first reads not ready for SHUTDOWN_DELAY_MS, so load balancers take
  // it out of rotation before it stops accepting; then requests and jobs in progress are drained.
  let draining = false;
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'error while shutting down'));
  };
  if (config.sandbox.enabled) {
    logger.warn(
      { publicUrl: config.http.publicUrl },
      "sandbox mode is on: GET /sandbox/v1/psus publishes every PSU's password and TOTP secret, GET /sandbox/v1/operators the operations console's logins, and POST /sandbox/v1/tpps issues trusted TPP certificates to anyone; set SANDBOX=false for a real bank",
    );
  }
  try {
    // The embedded database belongs to one process: hold its data dir for as long as it is open,
    // so that the CLI uses this server's API instead of writing where this process cannot see.
    const dataDirLock = config.database.url ? undefined : await lockDataDir(config.dataDir);
    if (dataDirLock) closers.push(() => dataDirLock.release());
    // Traces over OTLP when a collector is configured: requests, queries, core calls, bus (docs/deployment.md#tracing).
    if (config.tracing) {
      const tracing = startTracing({ ...config.tracing, instanceId: `${hostname()}:${process.pid}:${config.http.port}` });
      closers.push(() => tracing.shutdown());
    }
    const database = await createDatabase({
      url: config.database.url,
      pgliteDir: path.join(config.dataDir, 'pglite'),
      poolSize: config.database.poolSize,
      preparedStatements: config.database.preparedStatements,
      migrations: porticoMigrations,
      traceQueries: config.tracing !== undefined,
    });
    closers.push(() => database.close());
    // The local keystore: private keys in the database are sealed under the key-encryption keys.
    const sealer = await loadKeySealer(config, logger);
    if (role === 'all') {
      const migration = await migrateToLatest(database.db as never, porticoMigrations);
      if (migration.applied.length > 0) logger.info({ applied: migration.applied, dialect: database.dialect }, 'database migrated');
    } else {
      await assertSchemaCurrent(database.db as never, porticoMigrations);
    }

    // Personal data at rest (request bodies, the account read model) under the data keys (docs/keys.md).
    const personalData = await loadPersonalDataCipher(config, database.db, sealer, logger.child({ component: 'keys' }));
    closers.push(async () => personalData.ring.stopRefreshing());
    // Payees in payment events are keyed fingerprints of the creditor account (docs/risk.md).
    const payeeKey = await loadPayeeFingerprintKey(database.db, sealer);

    const cacheLog = logger.child({ component: 'cache' });
    const cache = createCache(config.cache, {
      commandTimeoutMs: config.cache.commandTimeoutMs,
      circuitOpenMs: config.cache.circuitOpenMs,
      // Once per change, not per failing request: an outage is one warning, its end one line.
      onCircuitChange: (state, previous) => {
        if (state === 'open' && previous === 'closed') cacheLog.warn('shared cache unreachable: failing fast, reading through to the database where that is safe');
        else if (state === 'closed') cacheLog.info('shared cache reachable again');
      },
    });
    closers.push(() => cache.close());
    const bus = await createBus(config.bus.natsUrl, { namespace: config.bus.namespace });
    closers.push(() => bus.close());
    const outboxMetrics = new OutboxMetrics();
    const outbox = new OutboxRelay(database.db, bus, logger.child({ component: 'outbox' }), { pollMs: config.outbox.pollMs, observer: outboxMetrics.observer });
    closers.push(() => outbox.stop());
    // Durable jobs in the database, claimed by whichever instance is up (src/platform/scheduler).
    // Submitted payments are executed by one (src/modules/payments): exactly once, crash-safe.
    // Every handler is transactional: a run holds its job's row lock until it commits, so a slow run
    // is never taken over, and the lease only decides how soon a dead instance's jobs run again.
    const scheduler = new Scheduler(database.db, logger.child({ component: 'scheduler' }), { leaseMs: 30_000, ...config.scheduler });
    // A payment leaving the bank is sent to the payment scheme (ACSP) and settled when the scheme
    // confirms it (ACSC), by a job of its own: the sandbox's scheme confirms after a set delay.
    const paymentScheme = new SandboxPaymentScheme({ settlementDelayMs: config.paymentScheme.settlementDelayMs });
    // The core-banking adapter: the built-in ledger, or the bank's core through its gateway (CORE).
    // Payments execute through its ports as a saga of jobs (Pending → SentToCore → Booked | Rejected
    // → Settled), never in a transaction shared with it.
    const coreMetrics = coreGatewayMetrics();
    const coreAdapter = await createCore(config, database.db, logger, coreMetrics);
    closers.push(() => coreAdapter.close());
    const { core, ledger } = coreAdapter;
    // Consents, built once: every facade, page and module that reads or changes one holds this API.
    const consents = createConsentsModule({ db: database.db, cache, cipher: personalData.cipher });
    // Consent expiries are recorded, with their events, by a recurring job (src/modules/consents).
    scheduler.register(consents.expiryJob.kind, consents.expiryJob.handler);
    // Standing orders and scheduled payments made through PIS reach the payer's account in the core.
    scheduler.register(RECORD_ACCOUNT_ORDER_JOB, accountOrderRecording(core));
    closers.push(() => scheduler.stop());
    // API processes wake the workers instead of running jobs: PostgreSQL LISTEN/NOTIFY reaches every
    // process on the database; the embedded database has one process, which wakes itself.
    const jobWake: JobWake = config.database.url ? new PostgresWake(database.db, config.database.url, logger.child({ component: 'job-wake' })) : new InProcessWake();
    const aspspOrganisationId = config.aspsp.organisationId;
    // International payments' rates: the sandbox's fixed table. Its contract ids are MACed with
    // FX_CONTRACT_KEY, so every instance sharing the key honours them, across restarts. Unset, in
    // sandbox mode only, a key is made up at start and contracts quoted before a restart or by
    // another instance are refused as unknown (loadConfig fails closed outside sandbox mode).
    const exchangeRates = aspspOrganisationId ? new FixedRateExchange({ contractKey: fxContractKey(config, logger), previousContractKeys: config.fx.previousContractKeys }) : undefined;
    // Payments: scheduled payments use the execution job at their date, standing orders one job per
    // instalment; international scheduled payments convert when they execute, on the same rates.
    const executionMetrics = paymentExecutionMetrics();
    const paymentsModule = createPaymentsModule({
      db: database.db,
      cipher: personalData.cipher,
      payeeKey,
      consents,
      core,
      scheme: paymentScheme,
      rates: exchangeRates,
      // File payments: the largest file and the most payments one may hold.
      filePayments: config.filePayments,
      // The bank's days off, that a standing order's business-day rule moves instalments around.
      holidays: config.paymentHolidays,
      // Have a worker execute a new payment now rather than at its next poll.
      onSubmitted: () => jobWake.wake(),
      onExecutedTogether: executionMetrics.executedTogether,
      // An operator alert: the metric for the alerting rule, the log line for the one on call.
      onExecutionAbandoned: (payment, cause) => {
        executionMetrics.abandoned();
        logger.error({ alert: 'payment-execution-abandoned', paymentId: payment.id, err: cause }, 'payment execution given up after its last attempt: rejected (AB07); reconcile it with the core');
      },
    });
    for (const [kind, handler] of Object.entries(paymentsModule.jobs)) scheduler.register(kind, handler);

    const sandbox = createSandboxModule({ db: database.db });
    if (role === 'all' && config.sandbox.enabled && (options.seedSandbox ?? true) && !(await sandbox.isSeeded())) {
      const size = { ...DEFAULT_SANDBOX_SEED, ...(typeof options.seedSandbox === 'object' ? options.seedSandbox : {}) };
      logger.info(size, 'seeding the sandbox bank (first start)');
      const started = Date.now();
      await sandbox.seed({ ...size, asOf: new Date() });
      logger.info({ ms: Date.now() - started }, 'sandbox bank seeded');
    }

    const tls = await loadServerTls({
      dataDir: config.dataDir,
      publicUrl: config.http.publicUrl,
      certFile: config.http.tlsCertFile,
      keyFile: config.http.tlsKeyFile,
    });
    // TPPs are trusted through a directory: the sandbox's own (its QTSP issues their certificates),
    // or with SANDBOX=false a remote one and the configured client trust anchors. Their certificates
    // verify at the TLS handshake too.
    const directoryModule = createDirectoryModule({ db: database.db, cache, sealer });
    const qtsp = config.sandbox.enabled ? await directoryModule.loadOrCreateSandboxQtsp() : undefined;
    const registers = createRegistersModule({ db: database.db, cache });
    const trustedLists = createTrustedListsModule({ db: database.db, cache });
    // The registers are fetched from their publishers (plain HTTP only where a configured URL says so).
    const registerFetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 60_000 });
    closers.push(() => registerFetch.close());
    // A TPP's first request may wait for one look-up at the FCA register: bounded to 5 s.
    const lookupFetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 5000 });
    closers.push(() => lookupFetch.close());
    const lookUpUnknown = fcaLookup({ config, registers, fetch: lookupFetch }, cache, logger.child({ component: 'registers' }));
    const trust = await createTppDirectory(config, { ownDirectory: directoryModule, qtsp, cache, registers, trustedLists, lookUpUnknown });
    closers.push(() => trust.close());
    const { directory } = trust;
    if (!directory) logger.warn('no directory is configured (DIRECTORY_* and CLIENT_TRUST_ANCHORS*): no TPP can register or be served; see docs/configuration.md#production-trust');
    const serverTls = { ...tls, clientCaPems: [...tls.clientCaPems, ...trust.clientCaPems] };
    const metrics = createHttpMetrics();
    // Regulatory KPIs (docs/insights.md): each call of the dedicated interface summed in process and
    // added to the database every 10 s, with the minutes this instance served. Its last flush runs
    // after the server closed (closers run in reverse), before the database closes.
    const insights = createInsightsModule({ db: database.db, retentionDays: config.housekeeping.kpiRetentionDays });
    const apiCallKpis = servesApi
      ? insights.collector({ instanceId: `${hostname()}:${process.pid}:${config.http.port}`, onFlushError: (err) => logger.warn({ err }, 'API call KPIs not flushed: kept for the next flush') })
      : undefined;
    if (apiCallKpis) closers.push(() => apiCallKpis.stop());
    // Rate limits per TPP and consent for each API family (RATE_LIMIT*), counted in the shared cache's
    // Redis so every instance draws on one allowance; both facades check them once the TPP is identified.
    const limitMetrics = rateLimitMetrics();
    limitMetrics.register(metrics.registry);
    const rateLimits = createRateLimitsModule({ cache, settings: config.rateLimits, onLimited: limitMetrics.limited });
    registerCacheMetrics(metrics.registry, cache);
    outboxMetrics.register(metrics.registry, database.db);
    registerJobMetrics(metrics.registry, database.db);
    executionMetrics.register(metrics.registry);
    coreMetrics.register(metrics.registry);
    registerDatabasePoolMetrics(metrics.registry, database);
    const consumerMetrics = new ConsumerMetrics();
    consumerMetrics.register(metrics.registry);
    const observer = consumerMetrics.observer;
    // The audit trail (docs/audit.md): records buffered in memory and written in signed batches.
    // Created before the server so that it stops after it: the last answers' records are written.
    const auditObservers = auditMetrics();
    const checkpointKeys: { ring?: SigningKeyRing } = {};
    const audit = createAuditModule({
      db: database.db,
      pgConnection: database.pgConnection,
      signer: auditCheckpointSigner(database.db, {
        signingKid: (alg) => checkpointKeys.ring!.signingKid(alg),
        sign: (kid, alg, input) => checkpointKeys.ring!.sign(kid, alg, input),
      }),
      settings: config.audit,
      logger: logger.child({ component: 'audit' }),
      observer: auditObservers.observer,
      // Verifications the console asks for run on a worker, woken now.
      onVerificationRequested: () => jobWake.wake(),
      onVerificationFinished: (run) => {
        auditObservers.verified(run.status);
        reportVerification(logger.child({ component: 'audit' }), run);
      },
    });
    // One verification at a time per worker: a long one must leave the other lanes to payments.
    scheduler.register(audit.verificationJob.kind, audit.verificationJob.handler, { maxRunning: 1 });
    closers.push(() => audit.stop());
    auditObservers.register(metrics.registry, () => audit.buffered());
    const server = await buildHttpServer({
      logger,
      bodyLimitBytes: config.http.bodyLimitBytes,
      tls: serverTls,
      trustProxyClientCertHeader: config.http.trustProxyClientCertHeader,
      // eIDAS: the qualified CAs of the trusted lists are the directory's to check, not the handshake's.
      clientChainsCheckedBy: directory && config.trust.adapters.includes('eidas') ? 'directory' : 'handshake',
      trustProxy: config.http.trustProxy,
      metrics,
      // RED per TPP: the client of the verified access token (OB APIs; set by checkAccessToken).
      clientOfRequest: (request) => request.verifiedAccessToken?.clientId,
      resolveErrorRenderer: (request) => (isDcrRequest(request) ? renderDcrError : request.url.startsWith(BERLIN_GROUP_PREFIX) ? renderXs2aError : renderObErrorV4),
      // Refusals of Node's HTTP parser come before any route: the OB body, the format of most paths.
      edgeErrorRenderer: renderObErrorV4,
    });
    closers.push(() => server.close());
    if (options.observeCalls ?? true) auditApiCalls(server, audit, auditObservers.refused);
    if (apiCallKpis && (options.observeCalls ?? true)) installApiCallKpis(server, apiCallKpis, (request) => request.verifiedAccessToken?.clientId ?? request.xs2aTpp?.clientId);
    limitMetrics.countUnattendedRefusals(server);
    // While draining, each answer closes its connection: clients open their next one elsewhere,
    // and none is left idle for the close to cut while a request is on its way.
    server.addHook('onSend', async (_request, reply, payload) => {
      if (draining) reply.header('connection', 'close');
      return payload;
    });
    // The OB APIs verify access tokens where the authorisation server stores them, with a short-lived
    // shared cache in front that the adapter's invalidations clear (src/auth/verify-access-token.ts).
    const accessTokens = createAccessTokenVerifier({ db: database.db, cache });
    const clientCopies = new ClientRegistrationCopies(cache);
    // The bank's signing keys, reloaded as they rotate: the authorisation server, the SETs and the
    // payment APIs' responses sign with them, through the configured key manager.
    const bankKeys = await loadBankSigningKeys(config, database.db, sealer, logger.child({ component: 'keys' }));
    closers.push(() => bankKeys.close());
    // Checkpoints are signed with the bank's keys from here on.
    checkpointKeys.ring = bankKeys.ring;
    audit.start();
    const authorizationServer = await createAuthorizationServer({
      db: database.db,
      signingKeys: bankKeys.ring,
      issuer: config.http.publicUrl,
      logger: logger.child({ component: 'auth' }),
      // With a directory, it decides per request which client certificates are trusted (see the
      // mount's preHandler below), and the OB DCR facade is served and advertised.
      ...(directory ? { certificateTrusted: directoryCertificateTrusted, registrationEndpoint: `${config.http.publicUrl}/register` } : {}),
      onInvalidated: async (kind, ids) => {
        await accessTokens.invalidate(kind, ids);
        if (kind === 'Client') await clientCopies.forgetDeleted(ids);
      },
      onSaved: async (kind, id, payload, expiresAt) => {
        await accessTokens.remember(kind, id, payload, expiresAt);
        if (kind === 'Client') await clientCopies.forgetStored(id);
      },
      cookieKeys: await loadCookieKeys(database.db),
      interactionUrl: (uid) => `${PSU_INTERACTION_PREFIX}/${uid}`,
      errorPage: { render: authorisationErrorPage, contentSecurityPolicy: PSU_PAGE_CSP },
      defaultFapiProfile: config.auth.defaultFapiProfile,
      findAccount: consentFindAccount(consents),
      extraTokenClaims: consentTokenClaims(consents),
    });
    if (servesApi) {
      await mountAuthorizationServer(
        server,
        authorizationServer,
        {
          signingKeys: bankKeys.ring,
          preHandlers: [
            clientAllowancePreHandler((callerKey) => rateLimits.admit('authorization', { clientId: callerKey })),
            ...(directory ? [certificateTrustPreHandler((certificate) => directory.validateCertificate(certificate.der))] : []),
          ],
        },
      );
    }
    // Event notifications to TPPs (src/modules/events): raised from the domain events of consents,
    // payments and standing orders for the TPPs that subscribed; callback URLs on hosts they registered.
    const events = createEventsModule({
      db: database.db,
      callbackUrls: { allowlist: config.events.callbackAllowlist, registeredHostsOf: registeredRedirectHosts(createClientRegistry(authorizationServer, database.db)) },
      lookups: {
        consentKinds: (ids) => consents.kindsOf(ids),
        filePaymentsOf: (ids) => paymentsModule.filePaymentsOf(ids),
        unavailableAccounts: async (ids) => {
          const accounts = await Promise.all(ids.map((id) => core.getAccount(id)));
          return new Set(accounts.flatMap((account) => (account && (account.status === 'Disabled' || account.status === 'Deleted') ? [account.id] : [])));
        },
        accessConsentsTo: (accountIds) => consents.listAuthorisedAccessTo(accountIds),
        // The authorisation server's clients, by the org_id of the SSA each registered with.
        clientsOfOrganisations: (organisationIds) => registeredClientsOfOrganisations(database.db, organisationIds),
      },
      settings: {
        retentionMs: config.events.retentionMs,
        longPollMs: config.events.longPollMs,
        pushRetryMs: config.events.push.retryMs,
        push: { retryBaseMs: config.events.push.retryBaseMs, concurrencyPerTpp: config.events.push.concurrencyPerTpp, breakerOpenMs: config.events.push.circuitOpenMs },
      },
    });
    const notificationMetrics = new NotificationMetrics();
    let pushing: { readonly sender: NotificationSender; readonly observer: PushObserver } | undefined;
    notificationMetrics.register(metrics.registry, events);
    // The SETs are signed with the bank's ES256 key at its jwks_uri, for polls and pushes alike.
    const setSigner = createSetSigner({ keys: bankKeys.ring });
    // The request bodies the Berlin Group facade echoes (and executes payments from), in its own table.
    const xs2aWire = createXs2aWireStore(database.db, personalData.cipher);
    if (runsJobs) {
      const grantRevocation = await revokeGrantOnConsentEnd({ bus, db: database.db, observer, consents, logger: logger.child({ component: 'auth' }), provider: authorizationServer });
      closers.push(() => grantRevocation.stop());
      // Berlin Group initiates payments in one step: each executes once the PSU authorised it.
      const xs2aExecution = await executeXs2aPaymentsOnAuthorisation({ bus, db: database.db, observer, logger: logger.child({ component: 'xs2a' }), consents, payments: paymentsModule, wire: xs2aWire });
      closers.push(() => xs2aExecution.stop());
      const consentCopies = await retireCachedConsents({ bus, db: database.db, observer, cache, logger: logger.child({ component: 'consents' }) });
      closers.push(() => consentCopies.stop());
      // Every consent, payment and trust state change, in the audit trail.
      const auditedChanges = await audit.recordEvents({ bus, db: database.db, observer, logger: logger.child({ component: 'audit' }) }, [
        ConsentCreatedV2,
        ConsentStatusChangedV2,
        AccountAccessLinkedAccountsChangedV1,
        PaymentStatusChangedV2,
        StandingOrderProgressedV2,
        RegisterStandingChangedV1,
        CertificateExpiringV1,
        CertificateExpiringV2,
        OperatorActedV1,
      ]);
      closers.push(() => auditedChanges.stop());
      const notifications = await events.raiseFromEvents({ bus, db: database.db, observer, logger: logger.child({ component: 'events' }) });
      closers.push(() => notifications.stop());
      // Pushes to the TPPs' callback URLs, as the bank's organisation over mutual TLS with its transport certificate.
      if (aspspOrganisationId) {
        const sender = createObNotificationSender({
          setSigner,
          issuer: config.http.publicUrl,
          publicUrl: config.http.publicUrl,
          financialId: aspspOrganisationId,
          transport: config.events.transport
            ? { certPem: await readFile(config.events.transport.certFile, 'utf8'), keyPem: await readFile(config.events.transport.keyFile, 'utf8') }
            : { certPem: tls.certPem, keyPem: tls.keyPem },
          extraCaPems: config.events.callbackCaFile ? await readPemCertificates({ file: config.events.callbackCaFile }) : undefined,
          allowlist: config.events.callbackAllowlist,
          timeoutMs: config.events.push.timeoutMs,
          connectionsPerOrigin: config.events.push.concurrencyPerTpp,
        });
        closers.push(() => sender.close());
        pushing = { sender, observer: notificationMetrics.observer };
      }
    }
    // PSU logins: throttled through the shared cache, password hashing bounded per process.
    const loginGuard = new LoginGuard(cache, config.login);
    // Signing baskets (Berlin Group): consents the PSU authorises together with one SCA.
    const signingBaskets = createSigningBasketsModule({ db: database.db, consents });
    const psuPagesApis = psuPagesOptions({ db: database.db, cache, consents, core, payments: paymentsModule, signingBaskets, provider: authorizationServer, loginGuard, publicUrl: config.http.publicUrl, recordStep: (entry) => audit.record(entry) });
    if (servesApi) {
      await server.register(psuPages, psuPagesApis);
      await server.register(landingRoutes, { publicUrl: config.http.publicUrl, sandbox: config.sandbox.enabled, registration: directory !== undefined });
    }
    // The operations console (docs/operations-console.md): staff logins throttled by the same guard,
    // sessions in the shared cache, every action in the audit trail. Sandbox mode seeds one login
    // per role, published at GET /sandbox/v1/operators (DESIGN.md §3). Operator passkeys have the
    // PSU passkeys' relying party: PUBLIC_URL's host and origin.
    const operators = createOperatorsModule({ db: database.db, loginGuard, cache, relyingParty: relyingPartyFor(config.http.publicUrl) });
    if (role === 'all' && config.sandbox.enabled) await operators.seedSandboxLogins();
    if (servesApi) {
      await server.register(opsConsole, {
        sessions: cache,
        operators,
        audit,
        insights,
        tpps: opsTppsOver(directoryModule, database.db),
        consents: opsConsentsOver(consents, paymentsModule),
        // The risk module's alerts (`risk`, built further down): read when a page asks.
        alerts: opsAlertsOver(() => risk),
        sandbox: config.sandbox.enabled,
        singleSignOn: config.opsConsole.oidc && opsSingleSignOn(config.opsConsole.oidc),
        publicUrl: config.http.publicUrl,
      });
    }
    const notDraining = async () => {
      if (draining) throw new Error('shutting down: in-flight requests are drained');
    };
    // Not ready while the audit buffer is full under AUDIT_OVERFLOW=refuse: the balancer sends the calls elsewhere.
    const auditHasRoom = async () => {
      if (!audit.hasRoom()) throw new Error(`the audit buffer is full (${audit.buffered()} records waiting for the database)`);
    };
    registerHealthRoutes(server, { database: database.ping, cache: () => cache.ping(), bus: () => bus.ping(), audit: auditHasRoom, shutdown: notDraining }, config.health.readyCheckTimeoutMs);
    // AIS reads: the account read model, which the core's events keep current, and the core's other
    // data read through, both behind the shared read cache the same events invalidate.
    // ACCOUNT_READ_CACHE_SECONDS=0: no read cache, transactions and the other lists read from the core every time.
    const readCache = config.accounts.readCacheSeconds > 0 ? createAccountReadCache(cache, { ttlSeconds: config.accounts.readCacheSeconds }) : undefined;
    if (runsJobs) {
      const readModel = await keepReadModelCurrent({ bus, db: database.db, observer, logger: logger.child({ component: 'accounts' }), core, readCache, cipher: personalData.cipher });
      closers.push(() => readModel.stop());
    }
    // The per-request consent and certificate checks reuse what they read while the shared cache
    // says it is current; revocations and status changes retire it everywhere (docs/architecture.md).
    const directoryVerdicts = directory ? new DirectoryVerdicts(directory, cache) : undefined;
    // Payment APIs sign their responses as the bank's organisation (OB message signing), so they are
    // served only when the bank has an org_id (always in sandbox mode) and a directory; TPP signatures
    // are checked against the keys the directory publishes, `tan` the host of its JWKS endpoints.
    const payments = aspspOrganisationId && exchangeRates && directory
      ? {
          payments: paymentsModule,
          responseSigner: createResponseSigner({ keys: bankKeys.ring, issuer: aspspOrganisationId, trustAnchor: new URL(config.http.publicUrl).host }),
          tppSigningKeys: directoryTppSigningKeys({
            directory,
            remembered: directoryVerdicts,
            findClient: clientCopies.through(createClientRegistry(authorizationServer, database.db)),
            // eIDAS: clients registered with their QSealC sign with it while the directory trusts it.
            ...(config.trust.adapters.includes('eidas') && directoryVerdicts ? { sealTrusted: async (der: Buffer) => (await directoryVerdicts.validate(der, 'signing')).ok } : {}),
          }),
          trustAnchors: trustAnchorsOf(directory.jwksUrl),
          exchangeRates,
          filePayments: config.filePayments,
        }
      : undefined;
    // One account reads and one funds module serve both standards (their local memos shared too).
    const accountReads = createAccountsModule({ db: database.db, cipher: personalData.cipher, cache, core, readCache });
    const funds = createFundsModule({ consents, core });
    if (servesApi) await server.register(ukObieV4Routes, {
      // The request bodies the OB resources echo, kept by the facade in its own table (decision 0005g).
      wire: createObWireStore(database.db, personalData.cipher),
      consents,
      accessTokens,
      reads: accountReads,
      publicUrl: config.http.publicUrl,
      validateTppCertificate: directoryVerdicts ? (der, asOf) => directoryVerdicts.validate(der, 'transport', new Date(), asOf) : undefined,
      payments,
      // Confirmation of Funds (CBPII) needs no signing: the v4.0 CBPII file defines no x-jws-signature.
      funds,
      // Event subscriptions and polling; the SETs are signed with the bank's ES256 key at its jwks_uri.
      events: { events, setSigner, issuer: config.http.publicUrl },
      rateLimits,
      // OB AIS reads without the PSU present, per consent, resource and day (AIS_UNATTENDED_READS_PER_DAY).
      unattendedReadsPerDay: config.rateLimits.unattendedReadsPerDay,
    });
    // Berlin Group NextGenPSD2: TPPs identified by their QWAC on every call, through the directory.
    if (servesApi && directoryVerdicts) {
      await server.register(berlinGroupRoutes, {
        consents,
        reads: accountReads,
        psuAuthorisation: psuPagesApis.psuAuthorisation,
        signingBaskets,
        payments: paymentsModule,
        funds,
        wire: xs2aWire,
        certificates: async (der, usage, asOf) => {
          const verdict = await directoryVerdicts.validate(der, usage, new Date(), asOf);
          return verdict.ok ? { ok: true, organisation: { id: verdict.organisation.id, legalName: verdict.organisation.legalName }, roles: verdict.roles } : verdict;
        },
        requestSignatures: config.xs2a.requestSignatures,
        rateLimits,
        publicUrl: config.http.publicUrl,
      });
    }
    if (servesApi && qtsp) {
      await server.register(sandboxPsusRoutes, { sandbox });
      await server.register(sandboxOperatorLoginsRoutes, { operators });
      await server.register(sandboxTppsRoutes, { directory: directoryModule, qtsp, publicUrl: config.http.publicUrl });
      await server.register(sandboxTrustControlRoutes, { directory: directoryModule });
      await server.register(directoryRoutes, { directory: directoryModule, qtsp });
      await server.register(certificateLifecycleRoutes, { directory: directoryModule, qtsp, publicUrl: config.http.publicUrl });
    }
    if (servesApi && directory) {
      const registry = createClientRegistry(authorizationServer, database.db);
      // Every registration change, and every refused attempt, in the audit trail.
      const clients = auditedClients(createClientsModule({
        directory,
        cache,
        registry,
        issuer: config.http.publicUrl,
        aspspOrganisationId: config.aspsp.organisationId,
        defaultFapiProfile: config.auth.defaultFapiProfile,
        registrationWithoutSoftwareStatement: config.trust.adapters.includes('eidas'),
      }), (entry) => audit.record(entry));
      await server.register(dcrRoutes, { clients, aspspOrganisationId: config.aspsp.organisationId, rateLimits });
    }
    // Operators' directory changes reach the embedded database through the process that holds it.
    const operatorToken = servesApi && dataDirLock && qtsp ? createOperatorToken() : undefined;
    if (operatorToken) await server.register(sandboxOperatorRoutes, { directory: directoryModule, deadLetters: { list: events.deadLetters, replay: events.replay }, audit, changeAccountStatus: ledger && ((accountId, status) => ledger.changeAccountStatus(accountId, status)), operatorToken });

    let jobsStarted = false;
    let listening = false;
    // Anomaly detection (docs/risk.md): workers read each closed window of the trail; its automatic
    // responses act through the rate limits, the directory and the authorisation server's grants.
    const risk = createRiskModule({
      db: database.db,
      trail: audit,
      responder: riskResponses({ rateLimits, directory: directoryModule, consents, provider: authorizationServer, audit, throttle: config.risk.throttle }),
      settings: config.risk,
      logger: logger.child({ component: 'risk' }),
      onAlert: riskMetrics(metrics.registry),
    });
    // The first step of close (closers run in reverse): out of rotation before the server stops accepting.
    closers.push(async () => {
      draining = true;
      if (listening && config.health.shutdownDelayMs > 0) await sleep(config.health.shutdownDelayMs);
    });
    return {
      config,
      logger,
      database,
      cache,
      loginGuard,
      bus,
      outbox,
      scheduler,
      jobWake,
      core,
      sealer,
      signingKeys: bankKeys.ring,
      personalData: personalData.cipher,
      consents,
      exchangeRates,
      payments: paymentsModule,
      tls,
      qtsp,
      directory,
      server,
      authorizationServer,
      audit,
      insights,
      operators,
      apiCallKpis,
      risk,
      async listen() {
        await server.listen({ port: config.http.port, host: config.http.host });
        listening = true;
        apiCallKpis?.start();
        if (runsJobs && !jobsStarted) {
          jobsStarted = true;
          await startHousekeeping(scheduler, database.db, [
            ...housekeepingJobs(database.db, config.housekeeping, logger.child({ component: 'housekeeping' }), { events, insights, risk }),
            auditRetentionJob(audit, config.housekeeping.intervalMs, logger.child({ component: 'audit' })),
            ...(config.audit.dailyVerification ? [dailyAuditVerificationJob(audit, logger.child({ component: 'audit' }))] : []),
            ...(config.risk.enabled ? [riskDetectionJob(risk, config.risk.windowMs, logger.child({ component: 'risk' }))] : []),
            ...registerSyncJobs({ config, registers, fetch: registerFetch }, logger.child({ component: 'registers' })),
            ...trustedListRefreshJobs({ config, trustedLists, fetch: registerFetch }, logger.child({ component: 'trusted-lists' })),
            // The sandbox QTSP's certificates: their TPPs are warned 30, 7 and 1 days before expiry.
            ...(qtsp ? [certificateExpiryJob(directoryModule, config.housekeeping.intervalMs, logger.child({ component: 'certificates' }))] : []),
          ]);
          // A first start holds no trusted list or register yet: fetch them now, not a day later.
          void loadTrustDataIfNone({ config, trustedLists, registers, fetch: registerFetch }, logger.child({ component: 'trust-data' }));
          const stopListening = await jobWake.listen(() => scheduler.nudge());
          closers.push(stopListening);
          outbox.start();
          coreAdapter.follower?.start();
          if (pushing) {
            const pusher = events.startPushing(pushing.sender, logger.child({ component: 'event-push' }), pushing.observer);
            closers.push(() => pusher.stop());
          }
          await consents.scheduleExpiry();
          scheduler.start();
        }
        const address = server.server.address();
        const port = typeof address === 'object' && address ? address.port : config.http.port;
        await dataDirLock?.announce({ url: localUrl(config.http.host, port), sandbox: qtsp !== undefined, ...(operatorToken ? { operatorToken } : {}) });
        return port;
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
