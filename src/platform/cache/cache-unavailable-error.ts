import { DependencyUnavailableError } from '../errors/index.ts';

/**
 * The shared cache cannot be used now: it did not answer in time, its connection is down, or it
 * failed moments ago (circuit open). Callers that can do without it read through to the database;
 * the others let it reach the error handler, which answers 503 with `Retry-After`.
 */
export class CacheUnavailableError extends DependencyUnavailableError {
  constructor(retryAfterMs: number, options: { cause?: unknown } = {}) {
    super('the shared cache is unavailable', retryAfterMs, options);
    this.name = 'CacheUnavailableError';
  }
}
