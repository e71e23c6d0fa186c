export type { Config, KeyManagerConfig, LoginSettings, ProcessRole, RateLimitFamily, RateLimitSettings, SecretSource } from './config.ts';
export { DEFAULT_LOGIN_SETTINGS } from './config.ts';
export { loadConfig, ConfigError, isLocalhostUrl } from './load-config.ts';
export { readSecret } from './read-secret.ts';
