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

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
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
