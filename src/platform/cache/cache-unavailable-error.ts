/**
 * The shared cache cannot be used now: it did not answer in time, its connection is down, or it
 * failed moments ago (circuit open). Callers that can do without it read through to the database;
 * the others let it reach the error handler, which answers 503 with `Retry-After`.
 */
export class CacheUnavailableError extends Error {
  /** Whole seconds after which a retry may succeed (RFC 9110 §10.2.3 `Retry-After`), at least 1. */
  readonly retryAfterSeconds: number;

  constructor(retryAfterMs: number, options: { cause?: unknown } = {}) {
    super('the shared cache is unavailable', options);
    this.name = 'CacheUnavailableError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}
