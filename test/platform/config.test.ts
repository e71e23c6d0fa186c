import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LOGIN_SETTINGS, loadConfig, ConfigError } from '../../src/platform/config/index.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/srv/portico');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the configuration to be rejected');
}

describe('configuration', () => {
  it('has documented defaults for a bare machine', () => {
    const config = loadConfig({}, '/srv/portico');
    assert.equal(config.http.port, 8443);
    assert.equal(config.http.publicUrl, 'https://localhost:8443');
    assert.equal(config.dataDir, '/srv/portico/data');
    assert.equal(config.database.url, undefined);
    assert.equal(config.cache.redisUrl, undefined);
    assert.equal(config.bus.natsUrl, undefined);
    assert.equal(config.sandbox.enabled, true);
    assert.equal(config.http.trustProxyClientCertHeader, undefined);
    assert.equal(config.log.level, 'info');
    assert.equal(config.auth.defaultFapiProfile, '1.0 Final');
  });

  it('reads FAPI_PROFILE: 1.0-advanced or 2.0', () => {
    assert.equal(loadConfig({ FAPI_PROFILE: '2.0' }, '/').auth.defaultFapiProfile, '2.0');
    assert.equal(loadConfig({ FAPI_PROFILE: '1.0-advanced' }, '/').auth.defaultFapiProfile, '1.0 Final');
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '9443',
        PUBLIC_URL: 'https://bank.example/',
        DATA_DIR: '/var/lib/portico',
        DATABASE_URL: 'postgres://u:p@db:5432/portico',
        REDIS_URL: 'redis://cache:6379',
        NATS_URL: 'nats://bus:4222',
        SANDBOX: 'false',
        TRUST_PROXY_CLIENT_CERT_HEADER: 'X-SSL-Client-Cert',
        LOG_LEVEL: 'warn',
      },
      '/',
    );
    assert.equal(config.http.port, 9443);
    assert.equal(config.http.publicUrl, 'https://bank.example');
    assert.equal(config.dataDir, '/var/lib/portico');
    assert.equal(config.database.url, 'postgres://u:p@db:5432/portico');
    assert.equal(config.cache.redisUrl, 'redis://cache:6379');
    assert.equal(config.bus.natsUrl, 'nats://bus:4222');
    assert.equal(config.bus.namespace, 'portico');
    assert.equal(config.sandbox.enabled, false);
    assert.equal(config.http.trustProxyClientCertHeader, 'x-ssl-client-cert');
    assert.equal(config.log.level, 'warn');
  });

  it('gives the login guard its settings, the defaults being the schema\'s', () => {
    const defaults = { freeAttempts: 5, delayBaseSeconds: 30, delayMaxSeconds: 900, attemptWindowSeconds: 3600, usernameMaxAttempts: 100, oneTimeCodeMaxAttempts: 10, sourceMaxAttempts: 60, sourceWindowSeconds: 60, maxConcurrentHashes: 2, hashQueueLength: 16, hashWaitMs: 3000 };
    assert.deepEqual(DEFAULT_LOGIN_SETTINGS, defaults);
    assert.deepEqual(loadConfig({}, '/').login, defaults);
    assert.deepEqual(loadConfig({ LOGIN_FREE_ATTEMPTS: '3', LOGIN_HASH_WAIT_MS: '0' }, '/').login, { ...defaults, freeAttempts: 3, hashWaitMs: 0 });
  });

  it('treats empty variables as unset', () => {
    assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }, '/').http.port, 8443);
  });

  const rejected: Array<[string, Record<string, string>, string]> = [
    ['a non-numeric port', { PORT: 'eighty' }, 'Invalid configuration: PORT must be a whole number (got "eighty")'],
    ['a port out of range', { PORT: '70000' }, 'Invalid configuration: PORT must be at most 65535 (got "70000")'],
    ['a database URL of another kind', { DATABASE_URL: 'mysql://db/portico' }, 'Invalid configuration: DATABASE_URL must use postgres:// or postgresql://'],
    ['a Redis URL that is no URL', { REDIS_URL: 'not a url' }, 'Invalid configuration: REDIS_URL must be a URL'],
    ['a plain-HTTP public URL', { PUBLIC_URL: 'http://bank.example' }, 'Invalid configuration: PUBLIC_URL must use https://'],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, 'Invalid configuration: LOG_LEVEL'],
    ['an unknown FAPI profile', { FAPI_PROFILE: '1.0' }, 'Invalid configuration: FAPI_PROFILE'],
    ['a non-boolean SANDBOX', { SANDBOX: 'perhaps' }, 'Invalid configuration: SANDBOX must be one of true, false, 1, 0, yes, no (got "perhaps")'],
    ['a header name with spaces', { TRUST_PROXY_CLIENT_CERT_HEADER: 'x client cert' }, 'Invalid configuration: TRUST_PROXY_CLIENT_CERT_HEADER'],
    ['a TLS certificate without its key', { TLS_CERT_FILE: '/etc/tls/cert.pem' }, 'Invalid configuration: TLS_KEY_FILE must be set together with TLS_CERT_FILE'],
    ['a negative settlement delay', { SANDBOX_SETTLEMENT_DELAY_MS: '-1' }, 'Invalid configuration: SANDBOX_SETTLEMENT_DELAY_MS must be at least 0 (got "-1")'],
    ['an FX contract key that is not base64', { FX_CONTRACT_KEY: 'not base64!' }, 'Invalid configuration: FX_CONTRACT_KEY must be base64'],
    ['a TRUST_PROXY that is neither a flag, hops nor addresses', { TRUST_PROXY: 'the load balancer' }, 'Invalid configuration: TRUST_PROXY must be true, false, a number of hops, or comma-separated proxy addresses/CIDR ranges'],
    ['no concurrent password hashing at all', { LOGIN_MAX_CONCURRENT_HASHES: '0' }, 'Invalid configuration: LOGIN_MAX_CONCURRENT_HASHES must be at least 1 (got "0")'],
    ['a login delay cap below its first delay', { LOGIN_DELAY_MAX_SECONDS: '10', LOGIN_DELAY_BASE_SECONDS: '30' }, 'Invalid configuration: LOGIN_DELAY_MAX_SECONDS must be at least LOGIN_DELAY_BASE_SECONDS (30)'],
    ['a day off in month 13 (it threw a bare RangeError)', { PAYMENT_HOLIDAYS: 'TARGET2,2026-13-01' }, 'Invalid configuration: PAYMENT_HOLIDAYS must be TARGET2, none, or dates YYYY-MM-DD, comma-separated'],
    ['a day off the calendar does not have', { PAYMENT_HOLIDAYS: '2026-02-30' }, 'Invalid configuration: PAYMENT_HOLIDAYS must be TARGET2, none, or dates YYYY-MM-DD, comma-separated'],
    ['an FX contract key shorter than 32 bytes', { FX_CONTRACT_KEY: Buffer.alloc(31, 7).toString('base64') }, 'Invalid configuration: FX_CONTRACT_KEY must be base64 of at least 32 bytes'],
  ];
  for (const [what, env, message] of rejected) {
    it(`rejects ${what} with one line naming the variable`, () => {
      const error = configError(env);
      assert.ok(error.message.startsWith(message), error.message);
      assert.equal(error.message.includes('\n'), false);
      assert.equal(error.variable, Object.keys(env)[0] === 'TLS_CERT_FILE' ? 'TLS_KEY_FILE' : Object.keys(env)[0]);
    });
  }

  it('reads the sandbox settlement delay and the FX contract key (base64, standard or URL-safe)', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    assert.equal(loadConfig({}, '/').paymentScheme.settlementDelayMs, 0);
    assert.equal(loadConfig({}, '/').fx.contractKey, undefined);
    assert.deepEqual(loadConfig({}, '/').fx.previousContractKeys, []);
    const previous = [Buffer.alloc(32, 7), Buffer.alloc(48, 8)];
    assert.deepEqual(
      loadConfig({ FX_CONTRACT_PREVIOUS_KEYS: previous.map((key) => key.toString('base64')).join(', ') }, '/').fx.previousContractKeys.map((key) => Buffer.from(key)),
      previous,
    );
    assert.equal(configError({ FX_CONTRACT_PREVIOUS_KEYS: `${Buffer.alloc(32, 7).toString('base64')},${Buffer.alloc(8).toString('base64')}` }).variable, 'FX_CONTRACT_PREVIOUS_KEYS');
    assert.equal(loadConfig({ SANDBOX_SETTLEMENT_DELAY_MS: '86400000' }, '/').paymentScheme.settlementDelayMs, 86_400_000);
    assert.deepEqual(Buffer.from(loadConfig({ FX_CONTRACT_KEY: key.toString('base64') }, '/').fx.contractKey!), key);
    assert.deepEqual(Buffer.from(loadConfig({ FX_CONTRACT_KEY: key.toString('base64url') }, '/').fx.contractKey!), key);
  });

  it('reads which proxies to trust for the client address, and the login throttling', () => {
    assert.equal(loadConfig({}, '/').http.trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }, '/').http.trustProxy, true);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }, '/').http.trustProxy, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }, '/').http.trustProxy, ['10.0.0.0/8', '127.0.0.1', '::1']);
    assert.deepEqual(loadConfig({}, '/').login, {
      freeAttempts: 5,
      delayBaseSeconds: 30,
      delayMaxSeconds: 900,
      attemptWindowSeconds: 3600,
      usernameMaxAttempts: 100,
      oneTimeCodeMaxAttempts: 10,
      sourceMaxAttempts: 60,
      sourceWindowSeconds: 60,
      maxConcurrentHashes: 2,
      hashQueueLength: 16,
      hashWaitMs: 3000,
    });
    assert.equal(loadConfig({ LOGIN_MAX_CONCURRENT_HASHES: '4', LOGIN_FREE_ATTEMPTS: '3' }, '/').login.maxConcurrentHashes, 4);
    assert.equal(loadConfig({ LOGIN_MAX_CONCURRENT_HASHES: '4', LOGIN_FREE_ATTEMPTS: '3' }, '/').login.freeAttempts, 3);
  });

  it('verifies each ended day of the audit trail unless AUDIT_DAILY_VERIFICATION is off', () => {
    assert.equal(loadConfig({}, '/').audit.dailyVerification, true);
    assert.equal(loadConfig({ AUDIT_DAILY_VERIFICATION: 'false' }, '/').audit.dailyVerification, false);
    assert.equal(configError({ AUDIT_DAILY_VERIFICATION: 'sometimes' }).variable, 'AUDIT_DAILY_VERIFICATION');
  });

  it('fails closed without an FX contract key outside sandbox mode when the payment APIs are served', () => {
    const error = configError({ SANDBOX: 'false', ASPSP_ORG_ID: 'BankOrg1' });
    assert.equal(error.variable, 'FX_CONTRACT_KEY');
    assert.ok(error.message.startsWith('Invalid configuration: FX_CONTRACT_KEY must be set when SANDBOX is off'), error.message);
    assert.equal(loadConfig({ SANDBOX: 'false' }, '/').fx.contractKey, undefined, 'no payment APIs, no FX contracts');
    assert.equal(loadConfig({ SANDBOX: 'false', ASPSP_ORG_ID: 'BankOrg1', FX_CONTRACT_KEY: Buffer.alloc(32, 1).toString('base64') }, '/').fx.contractKey?.byteLength, 32);
  });

  it('turns sandbox mode on by default only for a localhost PUBLIC_URL', () => {
    for (const url of ['https://localhost:8443', 'https://LOCALHOST', 'https://127.0.0.1:9443', 'https://127.12.0.1', 'https://[::1]:8443']) {
      assert.equal(loadConfig({ PUBLIC_URL: url }, '/').sandbox.enabled, true, url);
    }
    assert.equal(loadConfig({ PORT: '9443' }, '/').sandbox.enabled, true, 'no PUBLIC_URL: https://localhost:$PORT');
  });

  it('attack: a deployment that forgets SANDBOX=false does not publish PSU secrets (refused for a non-localhost PUBLIC_URL)', () => {
    for (const url of ['https://bank.example', 'https://10.0.0.5:8443', 'https://[2001:db8::1]', 'https://localhost.bank.example', 'https://128.0.0.1']) {
      const error = configError({ PUBLIC_URL: url });
      assert.equal(error.variable, 'SANDBOX', url);
      assert.ok(error.message.startsWith(`Invalid configuration: SANDBOX must be set to true or false when PUBLIC_URL is not on localhost (${new URL(url).host}): sandbox mode publishes`), error.message);
      assert.equal(error.message.includes('\n'), false);
    }
  });

  it('serves the sandbox on a public URL when SANDBOX=true is set explicitly, and not with SANDBOX=false', () => {
    const sandbox = loadConfig({ PUBLIC_URL: 'https://sandbox.bank.example', SANDBOX: 'true' }, '/');
    assert.equal(sandbox.sandbox.enabled, true);
    assert.equal(sandbox.aspsp.organisationId, 'PorticoSandboxBank');
    const production = loadConfig({ PUBLIC_URL: 'https://bank.example', SANDBOX: 'false' }, '/');
    assert.equal(production.sandbox.enabled, false);
    assert.equal(production.aspsp.organisationId, undefined);
    assert.equal(loadConfig({ PUBLIC_URL: 'https://localhost', SANDBOX: 'false' }, '/').sandbox.enabled, false);
  });

  it('reads the process role and replicas (default: one process doing everything) and the housekeeping retentions, KPIs at least two quarters', () => {
    const defaults = loadConfig({}, '/');
    assert.deepEqual(defaults.process, { role: 'all', replicas: 1 });
    assert.deepEqual(defaults.housekeeping, { intervalMs: 300_000, outboxRetentionMs: 168 * 3_600_000, finishedJobRetentionMs: 720 * 3_600_000, inboxRetentionMs: 168 * 3_600_000, kpiRetentionDays: 1827, riskSubjectRetentionDays: 180 });
    assert.equal(loadConfig({ ROLE: 'migrate' }, '/').process.role, 'migrate');
    const tuned = loadConfig({ HOUSEKEEPING_INTERVAL_SECONDS: '60', OUTBOX_RETENTION_HOURS: '24', FINISHED_JOB_RETENTION_HOURS: '48', INBOX_RETENTION_HOURS: '12', KPI_RETENTION_DAYS: '400', RISK_SUBJECT_RETENTION_DAYS: '30' }, '/');
    assert.deepEqual(tuned.housekeeping, { intervalMs: 60_000, outboxRetentionMs: 24 * 3_600_000, finishedJobRetentionMs: 48 * 3_600_000, inboxRetentionMs: 12 * 3_600_000, kpiRetentionDays: 400, riskSubjectRetentionDays: 30 });
    // Fewer days than the two quarters the RTS Art. 32 report reads would lose a report's figures.
    assert.equal(configError({ KPI_RETENTION_DAYS: '189' }).variable, 'KPI_RETENTION_DAYS');
    assert.equal(configError({ ROLE: 'scheduler' }).message, 'Invalid configuration: ROLE must be one of all, api, worker, migrate (got "scheduler")');
  });

  it('reads how many jobs a worker has under way at once (default 32), transactional ones running (default 4), and the retry delays (10 s doubling to 15 min)', () => {
    assert.deepEqual(loadConfig({}, '/').scheduler, { concurrency: 32, transactionalConcurrency: 4, retry: { baseMs: 10_000, maxMs: 900_000 } });
    assert.deepEqual(loadConfig({ SCHEDULER_CONCURRENCY: '2', SCHEDULER_TRANSACTIONAL_CONCURRENCY: '1', JOB_RETRY_BASE_MS: '200', JOB_RETRY_MAX_MS: '1000' }, '/').scheduler, {
      concurrency: 2,
      transactionalConcurrency: 1,
      retry: { baseMs: 200, maxMs: 1000 },
    });
    assert.equal(configError({ JOB_RETRY_BASE_MS: '2000', JOB_RETRY_MAX_MS: '1000' }).message, 'Invalid configuration: JOB_RETRY_MAX_MS must be at least JOB_RETRY_BASE_MS (2000)');
    assert.equal(configError({ SCHEDULER_CONCURRENCY: '0' }).variable, 'SCHEDULER_CONCURRENCY');
    assert.equal(configError({ SCHEDULER_TRANSACTIONAL_CONCURRENCY: '65' }).variable, 'SCHEDULER_TRANSACTIONAL_CONCURRENCY');
  });

  const SHARED_BACKENDS = { DATABASE_URL: 'postgres://db/portico', REDIS_URL: 'redis://cache:6379', NATS_URL: 'nats://bus:4222', KEY_ENCRYPTION_KEYS: Buffer.alloc(32, 9).toString('base64') };
  const SHARED_SANDBOX_STATE = { TLS_CERT_FILE: '/etc/tls/cert.pem', TLS_KEY_FILE: '/etc/tls/key.pem', FX_CONTRACT_KEY: Buffer.alloc(32, 7).toString('base64') };

  it('sizes the slices of rate-limit allowances for the instances sharing them: REPLICAS, at least 2 beside other roles; RATE_LIMIT_LEASE at most (default 50)', () => {
    assert.deepEqual(loadConfig({}, '/').rateLimits.lease, { instances: 1, maxLease: 50 });
    assert.deepEqual(loadConfig({ ROLE: 'api', SANDBOX: 'false', ...SHARED_BACKENDS }, '/').rateLimits.lease, { instances: 2, maxLease: 50 });
    assert.deepEqual(loadConfig({ ROLE: 'api', REPLICAS: '6', RATE_LIMIT_LEASE: '1', SANDBOX: 'false', ...SHARED_BACKENDS }, '/').rateLimits.lease, { instances: 6, maxLease: 1 });
    assert.equal(configError({ RATE_LIMIT_LEASE: '0' }).variable, 'RATE_LIMIT_LEASE');
  });

  it('refuses more than one process on the embedded backends', () => {
    const cases: Array<[Record<string, string>, string]> = [[{ ROLE: 'api' }, 'ROLE is api'], [{ ROLE: 'worker' }, 'ROLE is worker'], [{ REPLICAS: '2' }, 'REPLICAS is 2']];
    for (const [scaled, why] of cases) {
      assert.equal(configError({ ...scaled, SANDBOX: 'false' }).message, `Invalid configuration: DATABASE_URL must be set when more than one process runs (${why}): the embedded database belongs to one process`);
      assert.equal(configError({ ...scaled, SANDBOX: 'false', DATABASE_URL: SHARED_BACKENDS.DATABASE_URL }).variable, 'REDIS_URL');
      assert.equal(configError({ ...scaled, SANDBOX: 'false', DATABASE_URL: SHARED_BACKENDS.DATABASE_URL, REDIS_URL: SHARED_BACKENDS.REDIS_URL }).variable, 'NATS_URL');
      const { KEY_ENCRYPTION_KEYS: _keys, ...withoutKeystore } = SHARED_BACKENDS;
      assert.equal(configError({ ...scaled, ...withoutKeystore, SANDBOX: 'false' }).variable, 'KEY_ENCRYPTION_KEYS', 'one keystore key for all processes');
      assert.equal(loadConfig({ ...scaled, ...SHARED_BACKENDS, SANDBOX: 'false' }, '/').sandbox.enabled, false);
    }
    assert.equal(loadConfig({ ROLE: 'migrate' }, '/').database.url, undefined, 'migrating runs once, on any database');
  });

  it('takes a Redis Cluster as REDIS_CLUSTER_NODES, instead of REDIS_URL', () => {
    const nodes = 'redis://cache-1:7000, rediss://user:secret@cache-2:7001';
    assert.deepEqual(loadConfig({ REDIS_CLUSTER_NODES: nodes }, '/').cache.redisClusterNodes, ['redis://cache-1:7000', 'rediss://user:secret@cache-2:7001']);
    assert.equal(loadConfig({}, '/').cache.redisClusterNodes, undefined);
    assert.equal(
      configError({ REDIS_CLUSTER_NODES: 'cache-1:7000' }).message,
      'Invalid configuration: REDIS_CLUSTER_NODES must use redis:// or rediss:// (got "cache-1:7000")',
    );
    assert.equal(
      configError({ REDIS_URL: 'redis://cache:6379', REDIS_CLUSTER_NODES: 'redis://cache-1:7000' }).message,
      'Invalid configuration: REDIS_CLUSTER_NODES must not be set together with REDIS_URL (a single server or a cluster, not both)',
    );
    const { REDIS_URL: _, ...withoutRedisUrl } = SHARED_BACKENDS;
    assert.deepEqual(loadConfig({ ROLE: 'api', SANDBOX: 'false', ...withoutRedisUrl, REDIS_CLUSTER_NODES: nodes }, '/').cache.redisClusterNodes?.length, 2);
  });

  it('refuses per-instance sandbox state (server CA and certificate, FX key) when more than one process runs', () => {
    const cases: Array<[Record<string, string>, string]> = [[{ ROLE: 'api' }, 'ROLE is api'], [{ ROLE: 'worker' }, 'ROLE is worker'], [{ REPLICAS: '3' }, 'REPLICAS is 3']];
    for (const [scaled, why] of cases) {
      assert.equal(
        configError({ ...scaled, ...SHARED_BACKENDS }).message,
        `Invalid configuration: TLS_CERT_FILE must be set in sandbox mode when more than one process runs (${why}): the sandbox server CA and certificate are made per instance`,
      );
      const { FX_CONTRACT_KEY: _, ...withoutKey } = SHARED_SANDBOX_STATE;
      assert.equal(
        configError({ ...scaled, ...SHARED_BACKENDS, ...withoutKey }).message,
        `Invalid configuration: FX_CONTRACT_KEY must be set in sandbox mode when more than one process runs (${why}): a key made per instance refuses the other instances' FX contracts`,
      );
      const config = loadConfig({ ...scaled, ...SHARED_BACKENDS, ...SHARED_SANDBOX_STATE }, '/');
      assert.equal(config.sandbox.enabled, true);
      assert.equal(config.http.tlsCertFile, '/etc/tls/cert.pem');
    }
    assert.equal(loadConfig({ REPLICAS: '1' }, '/').sandbox.enabled, true, 'one process may make its own');
  });

  it('never echoes a key, which is a secret', () => {
    const error = configError({ FX_CONTRACT_KEY: 'c2hvcnQtc2VjcmV0LWtleQ==' });
    assert.equal(error.message.includes('c2hvcnQtc2VjcmV0LWtleQ'), false, error.message);
  });

  it('never echoes URL values, which may hold credentials', () => {
    const error = configError({ DATABASE_URL: 'mysql://admin:hunter2@db/portico' });
    assert.equal(error.message.includes('hunter2'), false);
  });

  describe('production trust (SANDBOX=false)', () => {
    const directory = {
      SANDBOX: 'false',
      DIRECTORY_ISSUER: 'OpenBanking Ltd',
      DIRECTORY_JWKS_URL: 'https://keystore.directory.example/jwks',
      DIRECTORY_API_URL: 'https://api.directory.example/v1/',
    };

    it('reads the directory and the client trust anchors, file paths resolved against the working directory', () => {
      const config = loadConfig({ ...directory, DIRECTORY_CA_FILE: 'trust/directory-ca.pem', CLIENT_TRUST_ANCHORS_FILE: 'trust/qtsps.pem' }, '/srv/portico');
      assert.deepEqual(config.trust, {
        adapters: ['obie'],
        eidas: undefined,
        directory: {
          issuer: 'OpenBanking Ltd',
          jwksUrl: 'https://keystore.directory.example/jwks',
          apiUrl: 'https://api.directory.example/v1',
          caFile: '/srv/portico/trust/directory-ca.pem',
          revocation: { mode: 'fail-closed', maxStalenessSeconds: 0, recheckSeconds: 30 },
          standingMaxStalenessSeconds: 900,
        },
        clientTrustAnchors: { file: '/srv/portico/trust/qtsps.pem' },
      });
      const inline = loadConfig({ ...directory, CLIENT_TRUST_ANCHORS: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }, '/');
      assert.deepEqual(inline.trust.clientTrustAnchors, { pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' });
      assert.equal(inline.trust.directory?.caFile, undefined);
    });

    it('has no production trust by default, in either mode', () => {
      assert.deepEqual(loadConfig({}, '/').trust, { adapters: ['sandbox'], eidas: undefined, directory: undefined, clientTrustAnchors: undefined });
      assert.deepEqual(loadConfig({ SANDBOX: 'false' }, '/').trust, { adapters: [], eidas: undefined, directory: undefined, clientTrustAnchors: undefined });
    });

    it('refuses a directory without client trust anchors, a partial directory, and both forms of anchors', () => {
      assert.equal(configError(directory).message, 'Invalid configuration: CLIENT_TRUST_ANCHORS_FILE or CLIENT_TRUST_ANCHORS must be set with the directory: the CAs TPP transport certificates chain to');
      assert.equal(
        configError({ SANDBOX: 'false', DIRECTORY_ISSUER: 'x', DIRECTORY_API_URL: 'https://api.directory.example', CLIENT_TRUST_ANCHORS_FILE: 'a.pem' }).message,
        'Invalid configuration: DIRECTORY_JWKS_URL must be set together with DIRECTORY_ISSUER and DIRECTORY_API_URL',
      );
      assert.equal(configError({ SANDBOX: 'false', CLIENT_TRUST_ANCHORS_FILE: 'a.pem' }).variable, 'DIRECTORY_ISSUER');
      assert.equal(configError({ ...directory, CLIENT_TRUST_ANCHORS_FILE: 'a.pem', CLIENT_TRUST_ANCHORS: '-----BEGIN CERTIFICATE-----' }).variable, 'CLIENT_TRUST_ANCHORS');
      assert.equal(configError({ ...directory, CLIENT_TRUST_ANCHORS: 'not a certificate' }).variable, 'CLIENT_TRUST_ANCHORS');
      assert.equal(configError({ ...directory, DIRECTORY_JWKS_URL: 'http://keystore.directory.example/jwks', CLIENT_TRUST_ANCHORS_FILE: 'a.pem' }).variable, 'DIRECTORY_JWKS_URL');
    });

    it('checks revocation fail-closed by default; soft-fail only with a maximum staleness', () => {
      const anchored = { ...directory, CLIENT_TRUST_ANCHORS_FILE: 'a.pem' };
      const softFail = loadConfig({ ...anchored, DIRECTORY_REVOCATION_POLICY: 'soft-fail', DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS: '3600', DIRECTORY_REVOCATION_RECHECK_SECONDS: '10' }, '/');
      assert.deepEqual(softFail.trust.directory?.revocation, { mode: 'soft-fail', maxStalenessSeconds: 3600, recheckSeconds: 10 });
      const unbounded = configError({ ...anchored, DIRECTORY_REVOCATION_POLICY: 'soft-fail' });
      assert.equal(unbounded.variable, 'DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS');
      assert.match(unbounded.message, /must be set with DIRECTORY_REVOCATION_POLICY=soft-fail/);
      assert.equal(configError({ ...anchored, DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS: '60' }).variable, 'DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS');
      assert.equal(configError({ ...anchored, DIRECTORY_REVOCATION_POLICY: 'off' }).variable, 'DIRECTORY_REVOCATION_POLICY');
    });

    it('reads the registers to hold, the bank country, and the FCA API credentials; refuses them in sandbox mode or without credentials', () => {
      const config = loadConfig({ SANDBOX: 'false', REGISTERS: 'EBA, fca, cir', ASPSP_COUNTRY: 'de', REGISTER_FCA_API_EMAIL: 'ops@bank.example', REGISTER_FCA_API_KEY_FILE: 'secrets/fca-key' }, '/srv/portico');
      assert.deepEqual(config.registers, {
        enabled: ['EBA', 'FCA', 'CIR'],
        country: 'DE',
        ebaMetadataUrl: 'https://euclid.eba.europa.eu/register/api/filemetadata',
        cirUrl: 'https://euclid.eba.europa.eu/register/api/search/entities',
        fca: { apiUrl: 'https://register.fca.org.uk/services/V0.1', email: 'ops@bank.example', key: { file: '/srv/portico/secrets/fca-key' } },
        dnb: undefined,
        syncIntervalHours: 24,
      });
      assert.deepEqual(loadConfig({}, '/').registers.enabled, []);
      assert.equal(loadConfig({ SANDBOX: 'false', REGISTERS: 'cir', REGISTER_CIR_URL: 'https://cir.bank.example/search' }, '/').registers.cirUrl, 'https://cir.bank.example/search');
      assert.equal(configError({ SANDBOX: 'false', REGISTERS: 'cir', REGISTER_CIR_URL: 'ftp://cir.example/' }).variable, 'REGISTER_CIR_URL');
      assert.deepEqual(loadConfig({ SANDBOX: 'false', REGISTERS: 'dnb', REGISTER_DNB_API_KEY_FILE: 'secrets/dnb-key' }, '/srv/portico').registers.dnb, {
        apiUrl: 'https://api.dnb.nl/publicdata/v1',
        key: { file: '/srv/portico/secrets/dnb-key' },
        registerCodes: ['WFTBI', 'WFTEG'],
      });
      assert.deepEqual(loadConfig({ SANDBOX: 'false', REGISTERS: 'dnb', REGISTER_DNB_API_KEY: 'k', REGISTER_DNB_REGISTERS: 'wftbi, WFTRI' }, '/').registers.dnb?.registerCodes, ['WFTBI', 'WFTRI']);
      assert.deepEqual(loadConfig({ SANDBOX: 'false', REGISTERS: 'dnb', REGISTER_DNB_API_KEY: 'k' }, '/').registers.enabled, ['DNB']);
      assert.equal(configError({ SANDBOX: 'false', REGISTERS: 'dnb' }).variable, 'REGISTER_DNB_API_KEY');
      assert.equal(configError({ SANDBOX: 'false', REGISTERS: 'dnb', REGISTER_DNB_API_KEY: 'k', REGISTER_DNB_API_KEY_FILE: 'f' }).variable, 'REGISTER_DNB_API_KEY');
      assert.equal(configError({ SANDBOX: 'false', REGISTERS: 'dnb', REGISTER_DNB_API_KEY: 'k', REGISTER_DNB_REGISTERS: 'WFT BI' }).variable, 'REGISTER_DNB_REGISTERS');
      assert.equal(configError({ REGISTER_DNB_API_KEY: 'k' }).variable, 'REGISTER_DNB_API_KEY');
      assert.equal(loadConfig({}, '/').registers.country, 'GB');
      assert.match(configError({ SANDBOX: 'true', REGISTERS: 'eba' }).message, /REGISTERS applies only when SANDBOX=false/);
      assert.equal(configError({ SANDBOX: 'false', REGISTERS: 'fca' }).variable, 'REGISTER_FCA_API_EMAIL');
      assert.equal(configError({ SANDBOX: 'false', REGISTERS: 'fca', REGISTER_FCA_API_EMAIL: 'a@b.c' }).variable, 'REGISTER_FCA_API_KEY');
      assert.equal(configError({ SANDBOX: 'false', REGISTERS: 'acpr' }).variable, 'REGISTERS');
      assert.equal(configError({ SANDBOX: 'false', REGISTER_FCA_API_KEY: 'k' }).variable, 'REGISTER_FCA_API_KEY');
      assert.equal(configError({ ASPSP_COUNTRY: 'GBR' }).variable, 'ASPSP_COUNTRY');
    });

    it('enables the eIDAS adapter with DIRECTORY=eidas: registers and a source of trusted lists required, its own revocation policy', () => {
      const eidas = { SANDBOX: 'false', DIRECTORY: 'eidas', REGISTERS: 'eba', TRUSTED_LISTS_LOTL_SIGNERS_FILE: 'trust/lotl-signers.pem' };
      const config = loadConfig({ ...eidas, TRUSTED_CA_SET_FILE: 'trust/uk-qtsps.pem', EIDAS_REVOCATION_POLICY: 'soft-fail', EIDAS_REVOCATION_MAX_STALENESS_SECONDS: '600' }, '/srv/portico');
      assert.deepEqual(config.trust.adapters, ['eidas']);
      assert.deepEqual(config.trust.eidas, {
        revocation: { mode: 'soft-fail', maxStalenessSeconds: 600, recheckSeconds: 30 },
        lotlUrl: 'https://ec.europa.eu/tools/lotl/eu-lotl.xml',
        lotlSignersFile: '/srv/portico/trust/lotl-signers.pem',
        caSet: { file: '/srv/portico/trust/uk-qtsps.pem', territory: 'GB' },
        refreshHours: 24,
      });
      assert.equal(configError({ SANDBOX: 'false', DIRECTORY: 'eidas', TRUSTED_LISTS_LOTL_SIGNERS_FILE: 'a.pem' }).variable, 'REGISTERS');
      assert.equal(configError({ SANDBOX: 'false', DIRECTORY: 'eidas', REGISTERS: 'eba' }).variable, 'TRUSTED_LISTS_LOTL_SIGNERS_FILE');
      assert.equal(configError({ ...eidas, EIDAS_REVOCATION_POLICY: 'soft-fail' }).variable, 'EIDAS_REVOCATION_MAX_STALENESS_SECONDS');
      assert.equal(configError({ SANDBOX: 'false', TRUSTED_CA_SET_FILE: 'a.pem' }).variable, 'TRUSTED_CA_SET_FILE');
      assert.equal(configError({ SANDBOX: 'false', DIRECTORY: 'obie' }).variable, 'DIRECTORY_ISSUER');
      assert.match(configError({ DIRECTORY: 'eidas' }).message, /sandbox mode trusts TPPs through its own directory only/);
      assert.equal(configError({ SANDBOX: 'false', DIRECTORY: 'sandbox' }).variable, 'DIRECTORY');
      assert.equal(configError({ SANDBOX: 'false', DIRECTORY: 'acme' }).variable, 'DIRECTORY');
    });

    it('refuses production trust settings in sandbox mode, where the sandbox directory would win over them', () => {
      const error = configError({ ...directory, SANDBOX: 'true', CLIENT_TRUST_ANCHORS_FILE: 'a.pem' });
      assert.equal(error.variable, 'DIRECTORY_ISSUER');
      assert.match(error.message, /applies only when SANDBOX=false/);
    });
  });
  describe('the shared cache (REDIS_*)', () => {
    it("prefixes every Redis key with portico: unless REDIS_KEY_PREFIX names the deployment's own, and refuses a prefix with spaces or braces", () => {
      assert.deepEqual(loadConfig({ REDIS_URL: 'redis://cache:6379' }).cache, { redisUrl: 'redis://cache:6379', redisClusterNodes: undefined, commandTimeoutMs: 500, circuitOpenMs: 1000, keyPrefix: 'portico:' });
      assert.equal(loadConfig({ REDIS_URL: 'redis://cache:6379', REDIS_KEY_PREFIX: 'bank-a.staging:' }).cache.keyPrefix, 'bank-a.staging:');
      for (const prefix of ['two words', '{slot}', 'x'.repeat(65)]) assert.equal(configError({ REDIS_KEY_PREFIX: prefix }).variable, 'REDIS_KEY_PREFIX', prefix);
    });
  });
  describe('the core (CORE)', () => {
    it('is the built-in ledger by default, and the gateway with CORE=remote, its files resolved against the working directory', () => {
      assert.deepEqual(loadConfig({}, '/srv/portico').core, { kind: 'builtin' });
      const remote = loadConfig(
        { CORE: 'remote', CORE_GATEWAY_URL: 'https://core.bank.internal/core/v1/', CORE_GATEWAY_CA_FILE: 'ca.pem', CORE_GATEWAY_CERT_FILE: 'c.pem', CORE_GATEWAY_KEY_FILE: 'k.pem', CORE_RETRIES: '0' },
        '/srv/portico',
      ).core;
      assert.deepEqual(remote, {
        kind: 'remote',
        url: 'https://core.bank.internal/core/v1',
        caFile: '/srv/portico/ca.pem',
        client: { certFile: '/srv/portico/c.pem', keyFile: '/srv/portico/k.pem' },
        timeoutMs: 2000,
        retries: 0,
        circuitFailures: 5,
        circuitOpenMs: 5000,
        feedWaitSeconds: 20,
      });
    });

    it('refuses CORE=remote without a gateway URL, a gateway over http, a certificate without its key, and gateway settings for the built-in ledger', () => {
      assert.equal(configError({ CORE: 'remote' }).message, "Invalid configuration: CORE_GATEWAY_URL must be set when CORE=remote: the base URL of the bank's core gateway");
      assert.equal(configError({ CORE: 'remote', CORE_GATEWAY_URL: 'http://core.bank.internal/core/v1' }).variable, 'CORE_GATEWAY_URL');
      assert.equal(configError({ CORE: 'remote', CORE_GATEWAY_URL: 'https://core.bank.internal', CORE_GATEWAY_CERT_FILE: 'c.pem' }).variable, 'CORE_GATEWAY_KEY_FILE');
      const ignored = configError({ CORE_GATEWAY_URL: 'https://core.bank.internal' });
      assert.equal(ignored.variable, 'CORE_GATEWAY_URL');
      assert.match(ignored.message, /applies only when CORE=remote/);
      assert.equal(configError({ CORE: 'mainframe' }).variable, 'CORE');
    });
  });

  describe('the key manager (KEY_MANAGER)', () => {
    it('is the local keystore by default; an HSM over PKCS#11 or Vault transit by name, secrets inline or from files', () => {
      assert.deepEqual(loadConfig({}, '/srv').keys, { manager: { kind: 'local' }, refreshSeconds: 30, encryptPersonalData: true });
      assert.equal(loadConfig({ PERSONAL_DATA_ENCRYPTION: 'false' }, '/srv').keys.encryptPersonalData, false);
      const hsm = { KEY_MANAGER: 'pkcs11', PKCS11_LIBRARY: '/usr/lib/hsm.so', PKCS11_TOKEN_LABEL: 'portico' };
      assert.deepEqual(loadConfig({ ...hsm, PKCS11_PIN_FILE: 'pin', SIGNING_KEYS_REFRESH_SECONDS: '5' }, '/srv').keys, {
        manager: { kind: 'pkcs11', library: '/usr/lib/hsm.so', tokenLabel: 'portico', pin: { file: '/srv/pin' } },
        refreshSeconds: 5,
        encryptPersonalData: true,
      });
      assert.deepEqual(loadConfig({ KEY_MANAGER: 'vault', VAULT_ADDR: 'https://vault.bank.internal:8200/', VAULT_TOKEN: 's.secret', VAULT_NAMESPACE: 'bank' }, '/srv').keys.manager, {
        kind: 'vault',
        url: 'https://vault.bank.internal:8200',
        token: { value: 's.secret' },
        mount: 'transit',
        namespace: 'bank',
        caFile: undefined,
      });
    });

    it("refuses an HSM or Vault without what it needs, both forms of a secret, and another manager's settings", () => {
      const hsm = { KEY_MANAGER: 'pkcs11', PKCS11_LIBRARY: '/usr/lib/hsm.so', PKCS11_TOKEN_LABEL: 'portico' };
      assert.equal(configError({ KEY_MANAGER: 'pkcs11' }).variable, 'PKCS11_LIBRARY');
      assert.equal(configError(hsm).message, 'Invalid configuration: PKCS11_PIN or PKCS11_PIN_FILE must be set when KEY_MANAGER=pkcs11');
      assert.equal(configError({ ...hsm, PKCS11_PIN: '1234', PKCS11_PIN_FILE: 'pin' }).variable, 'PKCS11_PIN_FILE');
      assert.equal(configError({ KEY_MANAGER: 'vault', VAULT_TOKEN: 't' }).variable, 'VAULT_ADDR');
      const stray = configError({ VAULT_ADDR: 'https://vault.bank.internal' });
      assert.equal(stray.message, 'Invalid configuration: VAULT_ADDR applies only when KEY_MANAGER=vault');
      assert.equal(configError({ KEY_MANAGER: 'kms' }).variable, 'KEY_MANAGER');
    });

    it('never echoes a PIN or a token', () => {
      const error = configError({ KEY_MANAGER: 'pkcs11', PKCS11_LIBRARY: '/usr/lib/hsm.so', PKCS11_TOKEN_LABEL: 'portico', PKCS11_PIN: 'x'.repeat(300) });
      assert.doesNotMatch(error.message, /xxxx/);
    });
  });

  describe('the local keystore (KEY_ENCRYPTION_KEYS)', () => {
    it('reads the key-encryption keys inline or from a file, refuses both, keys that are not 32 bytes, and never echoes them', () => {
      const key = Buffer.alloc(32, 1).toString('base64');
      const older = Buffer.alloc(32, 2).toString('base64');
      assert.deepEqual(loadConfig({ KEY_ENCRYPTION_KEYS: `${key}, ${older}` }, '/srv').keystore, { keys: [key, older] });
      assert.deepEqual(loadConfig({ KEY_ENCRYPTION_KEY_FILE: 'kek.txt' }, '/srv').keystore, { file: '/srv/kek.txt' });
      assert.equal(loadConfig({}, '/srv').keystore, undefined);
      assert.equal(configError({ KEY_ENCRYPTION_KEYS: key, KEY_ENCRYPTION_KEY_FILE: 'kek.txt' }).variable, 'KEY_ENCRYPTION_KEY_FILE');
      const short = configError({ KEY_ENCRYPTION_KEYS: Buffer.alloc(16, 1).toString('base64') });
      assert.equal(short.variable, 'KEY_ENCRYPTION_KEYS');
      assert.doesNotMatch(short.message, /AQEB/, 'the value is not echoed');
    });
  });
});
