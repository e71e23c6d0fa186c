export type { Config } from './config.ts';
export { loadConfig, ConfigError } from './load-config.ts';
