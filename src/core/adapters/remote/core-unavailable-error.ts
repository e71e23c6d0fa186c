import { DependencyUnavailableError } from '../../../platform/errors/index.ts';

/**
 * The bank's core cannot be reached through its gateway now: it did not answer in time, refused
 * the connection, answered 502/503/504, or failed moments ago (circuit open). Reads that can be
 * served from what Portico keeps are; the rest answer 503 with `Retry-After`, and payment jobs
 * retry later.
 */
export class CoreUnavailableError extends DependencyUnavailableError {
  constructor(detail: string, retryAfterMs: number, options: { cause?: unknown } = {}) {
    super(`the core is unavailable: ${detail}`, retryAfterMs, options);
    this.name = 'CoreUnavailableError';
  }
}
