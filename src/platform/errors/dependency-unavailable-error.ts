/**
 * A service the platform depends on cannot be used now (the shared cache, the bank's core): it did
 * not answer in time, its connection is down, or it failed moments ago (circuit open). Callers
 * that can do without it carry on; the others let it reach the error handler, which answers 503
 * with `Retry-After`.
 */
export class DependencyUnavailableError extends Error {
  /** Whole seconds after which a retry may succeed (RFC 9110 §10.2.3 `Retry-After`), at least 1. */
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterMs: number, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}
