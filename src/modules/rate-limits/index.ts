export { createRateLimitsModule } from './create-rate-limits-module.ts';
export type { RateLimitObserver, RateLimitsApi, RateLimitsModuleDeps } from './create-rate-limits-module.ts';
export type { RateLimitKind, RateLimitSubject } from './admit-request.ts';
export { RateLimitErrors } from './rate-limits.errors.ts';
export type { RateLimitFamily } from '../../platform/config/index.ts';
