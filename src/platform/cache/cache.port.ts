/**
 * A shared key-value cache. In production it is Redis, shared by every API process, so nothing
 * correct depends on one process's memory (DESIGN.md §1, scale-out).
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
  close(): Promise<void>;
}
