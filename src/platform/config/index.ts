export type { Config, ProcessRole } from './config.ts';
export { loadConfig, ConfigError, isLocalhostUrl } from './load-config.ts';
