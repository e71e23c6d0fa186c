import { Redis } from 'ioredis';
import type { Cache } from './cache.port.ts';

export interface RedisCacheOptions {
  readonly keyPrefix?: string;
  /** Milliseconds a command may wait for a connection before failing (readiness must not hang). */
  readonly commandTimeoutMs?: number;
}

/** Redis-backed cache shared by every process. Keys are prefixed so several deployments can share a server. */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  /** GETs issued since the last flush, answered together by one MGET (`get`). */
  private pendingGets: Array<{ key: string; resolve: (value: string | null) => void; reject: (error: unknown) => void }> | undefined;

  constructor(url: string, options: RedisCacheOptions = {}) {
    this.redis = new Redis(url, {
      keyPrefix: options.keyPrefix ?? 'portico:',
      lazyConnect: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      // Commands issued in the same event-loop tick by concurrent requests go out in one write.
      enableAutoPipelining: true,
    });
    // Connection errors surface through failing commands and readiness; they must not crash the process.
    this.redis.on('error', () => undefined);
  }

  /**
   * GETs issued together — within one turn of the event loop, e.g. the checks of a request and its
   * read-ahead — go out as one MGET: one command to encode, time and parse instead of several. A
   * GET may therefore run a moment after a command issued after it, never before: it can only be
   * fresher. (Keys of one MGET must share a hash slot under Redis Cluster; Portico uses one server.)
   */
  get(key: string): Promise<string | null> {
    return new Promise((resolve, reject) => {
      if (!this.pendingGets) {
        this.pendingGets = [];
        process.nextTick(() => this.flushGets());
      }
      this.pendingGets.push({ key, resolve, reject });
    });
  }

  private flushGets(): void {
    const batch = this.pendingGets ?? [];
    this.pendingGets = undefined;
    if (batch.length === 1) {
      const [only] = batch;
      this.redis.get(only!.key).then(only!.resolve, only!.reject);
      return;
    }
    this.redis.mget(...batch.map((pending) => pending.key)).then(
      (values) => batch.forEach((pending, i) => pending.resolve(values[i] ?? null)),
      (error: unknown) => batch.forEach((pending) => pending.reject(error)),
    );
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds === undefined) await this.redis.set(key, value);
    else await this.redis.set(key, value, 'EX', ttlSeconds);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(key, value, 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, ttlSeconds, 'NX').exec()) as [[null, number]];
    return count;
  }

  async ping(): Promise<void> {
    const answer = await this.redis.ping();
    if (answer !== 'PONG') throw new Error(`unexpected Redis PING answer ${answer}`);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
