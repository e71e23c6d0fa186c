import { environmentSchema } from './config.schema.ts';
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
    // URLs may carry credentials, so their values are never echoed.
    const got = variable.endsWith('_URL') ? undefined : relevant[variable];
    throw new ConfigError(variable, `${issue?.message ?? 'is invalid'}${got === undefined ? '' : ` (got "${got}")`}`);
  }
  const { TLS_CERT_FILE, TLS_KEY_FILE } = parsed.data;
  if ((TLS_CERT_FILE === undefined) !== (TLS_KEY_FILE === undefined)) {
    const missing = TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE';
    throw new ConfigError(missing, 'must be set together with ' + (missing === 'TLS_CERT_FILE' ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'));
  }
  return configFromEnvironment(parsed.data, cwd);
}
