import { environmentSchema, type Environment } from './config.schema.ts';
import { configFromEnvironment, type Config } from './config.ts';

/** Thrown for invalid configuration; its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment and builds the Config. Empty strings count as unset, so that
 * `FOO= portico start` behaves like leaving FOO out.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const relevant = Object.fromEntries(
    Object.keys(environmentSchema.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    // URLs may carry credentials and keys are secrets, so their values are never echoed.
    const got = ['_URL', '_ADDR', '_KEY', '_KEYS', '_PIN', '_TOKEN'].some((suffix) => variable.endsWith(suffix)) ? undefined : relevant[variable];
    throw new ConfigError(variable, `${issue?.message ?? 'is invalid'}${got === undefined ? '' : ` (got "${got}")`}`);
  }
  requirePair(parsed.data, 'TLS_CERT_FILE', 'TLS_KEY_FILE');
  requirePair(parsed.data, 'EVENTS_TRANSPORT_CERT_FILE', 'EVENTS_TRANSPORT_KEY_FILE');
  requirePair(parsed.data, 'CORE_GATEWAY_CERT_FILE', 'CORE_GATEWAY_KEY_FILE');
  checkCore(parsed.data);
  checkKeyManager(parsed.data);
  refuseBoth(parsed.data, 'KEY_ENCRYPTION_KEY_FILE', 'KEY_ENCRYPTION_KEYS');
  if (parsed.data.JOB_RETRY_MAX_MS < parsed.data.JOB_RETRY_BASE_MS) throw new ConfigError('JOB_RETRY_MAX_MS', `must be at least JOB_RETRY_BASE_MS (${parsed.data.JOB_RETRY_BASE_MS})`);
  if (parsed.data.LOGIN_DELAY_MAX_SECONDS < parsed.data.LOGIN_DELAY_BASE_SECONDS) {
    throw new ConfigError('LOGIN_DELAY_MAX_SECONDS', `must be at least LOGIN_DELAY_BASE_SECONDS (${parsed.data.LOGIN_DELAY_BASE_SECONDS})`);
  }
  checkOpsSingleSignOn(parsed.data);
  // Sandbox mode publishes every PSU's password and TOTP secret and issues trusted TPP certificates
  // to anyone: it is the default only on this machine, and a deployment must choose it by name.
  const { PUBLIC_URL, SANDBOX } = parsed.data;
  if (SANDBOX === undefined && PUBLIC_URL !== undefined && !isLocalhostUrl(PUBLIC_URL)) {
    throw new ConfigError(
      'SANDBOX',
      `must be set to true or false when PUBLIC_URL is not on localhost (${new URL(PUBLIC_URL).host}): sandbox mode publishes every PSU's password and TOTP secret and issues trusted TPP certificates to anyone`,
    );
  }
  // Outside sandbox mode a key made up at start would refuse, after every restart and on every
  // other instance, the FX contracts the bank issued; there is no safe default, so fail closed.
  if (SANDBOX === false && parsed.data.ASPSP_ORG_ID !== undefined && parsed.data.FX_CONTRACT_KEY === undefined) {
    throw new ConfigError('FX_CONTRACT_KEY', 'must be set when SANDBOX is off and the payment APIs are served (ASPSP_ORG_ID is set)');
  }
  checkOneRedis(parsed.data);
  checkScaleOut(parsed.data);
  checkProductionTrust(parsed.data);
  checkRegisters(parsed.data);
  checkDirectoryAdapters(parsed.data);
  return configFromEnvironment(parsed.data, cwd);
}

/** One shared cache: a single Redis server or a cluster, not both. */
function checkOneRedis(env: Environment): void {
  if (env.REDIS_URL !== undefined && env.REDIS_CLUSTER_NODES !== undefined) {
    throw new ConfigError('REDIS_CLUSTER_NODES', 'must not be set together with REDIS_URL (a single server or a cluster, not both)');
  }
}

/**
 * More than one process (a role other than `all`, or REPLICAS above 1) share their state through
 * PostgreSQL, Redis and NATS: the embedded backends belong to one process. In sandbox mode, the
 * server CA and certificate and the FX contract key are otherwise made up per instance, so a TPP
 * would meet another certificate, and another instance's FX contracts would be refused.
 */
function checkScaleOut(env: Environment): void {
  const scaledOut = env.ROLE === 'api' || env.ROLE === 'worker' || env.REPLICAS > 1;
  if (!scaledOut) return;
  const why = env.ROLE === 'all' ? `REPLICAS is ${env.REPLICAS}` : `ROLE is ${env.ROLE}`;
  const shared = [
    ['DATABASE_URL', env.DATABASE_URL, 'the embedded database belongs to one process'],
    ['REDIS_URL', env.REDIS_URL ?? env.REDIS_CLUSTER_NODES, 'the in-memory cache is not shared (or REDIS_CLUSTER_NODES)'],
    ['NATS_URL', env.NATS_URL, 'the in-memory bus is not shared'],
  ] as const;
  for (const [variable, value, reason] of shared) {
    if (value === undefined) throw new ConfigError(variable, `must be set when more than one process runs (${why}): ${reason}`);
  }
  if (env.KEY_ENCRYPTION_KEYS === undefined && env.KEY_ENCRYPTION_KEY_FILE === undefined) {
    throw new ConfigError('KEY_ENCRYPTION_KEYS', `or KEY_ENCRYPTION_KEY_FILE must be set when more than one process runs (${why}): a key made in one data dir cannot open the keys the others sealed`);
  }
  if (env.SANDBOX === false) return;
  if (env.TLS_CERT_FILE === undefined) {
    throw new ConfigError('TLS_CERT_FILE', `must be set in sandbox mode when more than one process runs (${why}): the sandbox server CA and certificate are made per instance`);
  }
  if (env.FX_CONTRACT_KEY === undefined) {
    throw new ConfigError('FX_CONTRACT_KEY', `must be set in sandbox mode when more than one process runs (${why}): a key made per instance refuses the other instances' FX contracts`);
  }
}

const DIRECTORY_VARIABLES = ['DIRECTORY_ISSUER', 'DIRECTORY_JWKS_URL', 'DIRECTORY_API_URL'] as const;

/**
 * The production trust settings go together and only outside sandbox mode: a directory without
 * client trust anchors (or the reverse) could onboard no TPP, and in sandbox mode the sandbox's own
 * directory and QTSP would silently win over them.
 */
function checkProductionTrust(env: Environment): void {
  const named = (['DIRECTORY_CA_FILE', ...DIRECTORY_VARIABLES, 'DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS', 'CLIENT_TRUST_ANCHORS_FILE', 'CLIENT_TRUST_ANCHORS'] as const).filter((name) => env[name] !== undefined);
  if (named.length === 0) return;
  if (env.SANDBOX !== false) throw new ConfigError(named[0]!, 'applies only when SANDBOX=false (sandbox mode trusts TPPs through its own directory)');
  const missing = DIRECTORY_VARIABLES.find((name) => env[name] === undefined);
  if (missing) throw new ConfigError(missing, `must be set together with ${DIRECTORY_VARIABLES.filter((name) => name !== missing).join(' and ')}`);
  refuseBoth(env, 'CLIENT_TRUST_ANCHORS', 'CLIENT_TRUST_ANCHORS_FILE');
  // Soft-fail without a bound would accept a revoked certificate for as long as the responder is down.
  if (env.DIRECTORY_REVOCATION_POLICY === 'soft-fail' && env.DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS === undefined) {
    throw new ConfigError('DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS', 'must be set with DIRECTORY_REVOCATION_POLICY=soft-fail: how old a good answer may be relied on while OCSP and CRLs are unreachable');
  }
  if (env.DIRECTORY_REVOCATION_POLICY !== 'soft-fail' && env.DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS !== undefined) {
    throw new ConfigError('DIRECTORY_REVOCATION_MAX_STALENESS_SECONDS', 'applies only with DIRECTORY_REVOCATION_POLICY=soft-fail (fail-closed relies on no stale answer)');
  }
  if (env.CLIENT_TRUST_ANCHORS_FILE === undefined && env.CLIENT_TRUST_ANCHORS === undefined) {
    throw new ConfigError('CLIENT_TRUST_ANCHORS_FILE', 'or CLIENT_TRUST_ANCHORS must be set with the directory: the CAs TPP transport certificates chain to');
  }
}

const EIDAS_VARIABLES = ['EIDAS_REVOCATION_MAX_STALENESS_SECONDS', 'TRUSTED_LISTS_LOTL_SIGNERS_FILE', 'TRUSTED_CA_SET_FILE'] as const;

/**
 * DIRECTORY names the adapters: sandbox only in sandbox mode; obie with the DIRECTORY_* settings;
 * eidas with the registers (they say who is authorised) and a source of trusted lists (the LOTL's
 * signers, or a CA set). Settings of an adapter that is not enabled are refused, not ignored.
 */
function checkDirectoryAdapters(env: Environment): void {
  const adapters = env.DIRECTORY;
  const eidasNamed = EIDAS_VARIABLES.find((name) => env[name] !== undefined);
  if (!adapters?.includes('eidas') && eidasNamed) throw new ConfigError(eidasNamed, 'applies only with DIRECTORY naming eidas');
  if (!adapters) return;
  if (env.SANDBOX !== false) {
    if (adapters.some((adapter) => adapter !== 'sandbox')) throw new ConfigError('DIRECTORY', 'sandbox mode trusts TPPs through its own directory only (DIRECTORY=sandbox); set SANDBOX=false for obie or eidas');
    return;
  }
  if (adapters.includes('sandbox')) throw new ConfigError('DIRECTORY', 'sandbox applies only in sandbox mode');
  if (!adapters.includes('obie') && env.DIRECTORY_ISSUER !== undefined) throw new ConfigError('DIRECTORY_ISSUER', 'applies only with DIRECTORY naming obie');
  if (adapters.includes('obie') && env.DIRECTORY_ISSUER === undefined) throw new ConfigError('DIRECTORY_ISSUER', 'must be set with DIRECTORY naming obie (with DIRECTORY_JWKS_URL, DIRECTORY_API_URL and the client trust anchors)');
  if (!adapters.includes('eidas')) return;
  if (env.REGISTERS === undefined) throw new ConfigError('REGISTERS', 'must be set with DIRECTORY naming eidas: without a directory, the registers say whether a TPP is authorised');
  if (env.TRUSTED_LISTS_LOTL_SIGNERS_FILE === undefined && env.TRUSTED_CA_SET_FILE === undefined) {
    throw new ConfigError('TRUSTED_LISTS_LOTL_SIGNERS_FILE', 'or TRUSTED_CA_SET_FILE must be set with DIRECTORY naming eidas: where the qualified CAs come from');
  }
  if (env.EIDAS_REVOCATION_POLICY === 'soft-fail' && env.EIDAS_REVOCATION_MAX_STALENESS_SECONDS === undefined) {
    throw new ConfigError('EIDAS_REVOCATION_MAX_STALENESS_SECONDS', 'must be set with EIDAS_REVOCATION_POLICY=soft-fail: how old a good answer may be relied on while OCSP and CRLs are unreachable');
  }
  if (env.EIDAS_REVOCATION_POLICY !== 'soft-fail' && env.EIDAS_REVOCATION_MAX_STALENESS_SECONDS !== undefined) {
    throw new ConfigError('EIDAS_REVOCATION_MAX_STALENESS_SECONDS', 'applies only with EIDAS_REVOCATION_POLICY=soft-fail');
  }
}

/**
 * Registers decide about real TPPs: sandbox TPPs are in none, so they are refused in sandbox mode.
 * The FCA register's API needs its credentials, DNB's its subscription key (each inline or from a
 * file, not both).
 */
function checkRegisters(env: Environment): void {
  if (env.REGISTERS === undefined) {
    const named = (['REGISTER_FCA_API_EMAIL', 'REGISTER_FCA_API_KEY', 'REGISTER_FCA_API_KEY_FILE'] as const).find((name) => env[name] !== undefined);
    if (named) throw new ConfigError(named, 'applies only with REGISTERS naming fca');
    const dnb = (['REGISTER_DNB_API_KEY', 'REGISTER_DNB_API_KEY_FILE'] as const).find((name) => env[name] !== undefined);
    if (dnb) throw new ConfigError(dnb, 'applies only with REGISTERS naming dnb');
    return;
  }
  if (env.SANDBOX !== false) throw new ConfigError('REGISTERS', 'applies only when SANDBOX=false (the sandbox directory is the sandbox TPPs\' register)');
  refuseBoth(env, 'REGISTER_FCA_API_KEY', 'REGISTER_FCA_API_KEY_FILE');
  if (env.REGISTERS.includes('fca')) {
    if (env.REGISTER_FCA_API_EMAIL === undefined) throw new ConfigError('REGISTER_FCA_API_EMAIL', 'must be set with REGISTERS naming fca: the e-mail address the FCA register API key is registered to');
    if (env.REGISTER_FCA_API_KEY === undefined && env.REGISTER_FCA_API_KEY_FILE === undefined) throw new ConfigError('REGISTER_FCA_API_KEY', 'or REGISTER_FCA_API_KEY_FILE must be set with REGISTERS naming fca');
  }
  refuseBoth(env, 'REGISTER_DNB_API_KEY', 'REGISTER_DNB_API_KEY_FILE');
  if (env.REGISTERS.includes('dnb') && env.REGISTER_DNB_API_KEY === undefined && env.REGISTER_DNB_API_KEY_FILE === undefined) {
    throw new ConfigError('REGISTER_DNB_API_KEY', 'or REGISTER_DNB_API_KEY_FILE must be set with REGISTERS naming dnb: the subscription key of DNB\'s Public Register API');
  }
}

/** Whether a URL names this machine: `localhost`, 127.0.0.0/8 or ::1 (RFC 6761 §6.3, RFC 5735, RFC 4291 §2.5.3). */
export function isLocalhostUrl(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  if (host === 'localhost' || host === 'localhost.' || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * A remote core needs its gateway's URL, and the gateway settings mean nothing to the built-in
 * ledger: set with CORE=builtin they would be silently ignored, so they are refused.
 */
function checkCore(env: Environment): void {
  if (env.CORE === 'remote') {
    if (env.CORE_GATEWAY_URL === undefined) throw new ConfigError('CORE_GATEWAY_URL', 'must be set when CORE=remote: the base URL of the bank\'s core gateway');
    return;
  }
  const named = (['CORE_GATEWAY_URL', 'CORE_GATEWAY_CA_FILE', 'CORE_GATEWAY_CERT_FILE', 'CORE_GATEWAY_KEY_FILE'] as const).find((name) => env[name] !== undefined);
  if (named) throw new ConfigError(named, 'applies only when CORE=remote (the built-in ledger has no gateway)');
}

const KEY_MANAGER_VARIABLES = {
  pkcs11: ['PKCS11_LIBRARY', 'PKCS11_TOKEN_LABEL', 'PKCS11_PIN', 'PKCS11_PIN_FILE'],
  vault: ['VAULT_ADDR', 'VAULT_TOKEN', 'VAULT_TOKEN_FILE', 'VAULT_NAMESPACE', 'VAULT_CA_FILE'],
} as const;

/**
 * An HSM needs its module, token and PIN; Vault its address and token (each secret inline or from
 * a file, not both). Settings of a key manager that is not chosen are refused, not ignored.
 */
function checkKeyManager(env: Environment): void {
  const chosen = env.KEY_MANAGER;
  for (const [kind, names] of Object.entries(KEY_MANAGER_VARIABLES)) {
    const named = names.find((name) => env[name] !== undefined);
    if (kind !== chosen && named) throw new ConfigError(named, `applies only when KEY_MANAGER=${kind}`);
  }
  const secret = (inline: 'PKCS11_PIN' | 'VAULT_TOKEN', file: 'PKCS11_PIN_FILE' | 'VAULT_TOKEN_FILE') => {
    refuseBoth(env, file, inline);
    if (env[inline] === undefined && env[file] === undefined) throw new ConfigError(inline, `or ${file} must be set when KEY_MANAGER=${chosen}`);
  };
  if (chosen === 'pkcs11') {
    if (env.PKCS11_LIBRARY === undefined) throw new ConfigError('PKCS11_LIBRARY', "must be set when KEY_MANAGER=pkcs11: the HSM vendor's PKCS#11 module");
    if (env.PKCS11_TOKEN_LABEL === undefined) throw new ConfigError('PKCS11_TOKEN_LABEL', 'must be set when KEY_MANAGER=pkcs11: the token the keys live on');
    secret('PKCS11_PIN', 'PKCS11_PIN_FILE');
  }
  if (chosen === 'vault') {
    if (env.VAULT_ADDR === undefined) throw new ConfigError('VAULT_ADDR', "must be set when KEY_MANAGER=vault: Vault's address");
    secret('VAULT_TOKEN', 'VAULT_TOKEN_FILE');
  }
}

/** Two ways of giving one setting (inline or a file): `named`, reported, must not be set beside `other`. */
function refuseBoth(env: Environment, named: keyof Environment, other: keyof Environment): void {
  if (env[named] !== undefined && env[other] !== undefined) throw new ConfigError(named, `must not be set together with ${other} (choose one)`);
}

/** A certificate file and its key file are set together or not at all. */
function requirePair(
  env: Environment,
  cert: 'TLS_CERT_FILE' | 'EVENTS_TRANSPORT_CERT_FILE' | 'CORE_GATEWAY_CERT_FILE',
  key: 'TLS_KEY_FILE' | 'EVENTS_TRANSPORT_KEY_FILE' | 'CORE_GATEWAY_KEY_FILE',
): void {
  if ((env[cert] === undefined) !== (env[key] === undefined)) {
    const missing = env[cert] === undefined ? cert : key;
    throw new ConfigError(missing, `must be set together with ${missing === cert ? key : cert}`);
  }
}

/**
 * The console's OpenID provider: all of OPS_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET or none (a
 * half-configured sign-on fails closed at start), and https unless the provider is on this machine.
 */
function checkOpsSingleSignOn(env: Environment): void {
  const names = ['OPS_OIDC_ISSUER', 'OPS_OIDC_CLIENT_ID', 'OPS_OIDC_CLIENT_SECRET'] as const;
  const set = names.filter((name) => env[name] !== undefined);
  if (set.length > 0 && set.length < names.length) throw new ConfigError(names.find((name) => env[name] === undefined)!, `must be set with ${set.join(' and ')}`);
  const issuer = env.OPS_OIDC_ISSUER && new URL(env.OPS_OIDC_ISSUER);
  if (issuer && issuer.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname)) throw new ConfigError('OPS_OIDC_ISSUER', 'must use https:// (http:// only for a provider on this machine)');
}
