export type { Config } from './config.ts';
export { loadConfig, ConfigError, isLocalhostUrl } from './load-config.ts';
