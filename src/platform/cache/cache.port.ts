import type { CircuitState } from '../resilience/index.ts';

export type { CircuitState };

/** The state of the cache's circuit breaker (`CircuitBreaker`, src/platform/resilience). */
export interface CacheCircuit {
  /** `closed` while the cache answers; `open` while it fails at once; `half-open` while one call probes. */
  readonly state: CircuitState;
  /**
   * How many times the circuit opened since start. Whatever this process remembers on the cache's
   * word from before the latest opening may have been retired meanwhile without it hearing of it.
   */
  readonly opens: number;
}

/**
 * A shared key-value cache. In production it is Redis, shared by every API process, so nothing
 * correct depends on one process's memory (DESIGN.md §1, scale-out). Operations of a cache that
 * cannot be reached fail with `CacheUnavailableError`, at once while its circuit is open.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Sets only when absent; returns whether it did (replay caches, locks). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  del(...keys: string[]): Promise<void>;
  /** Increments a counter, starting a TTL window on first use; returns the new value. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  ping(): Promise<void>;
  /** Its circuit breaker; an in-process cache is never interrupted. */
  circuit(): CacheCircuit;
  close(): Promise<void>;
}
