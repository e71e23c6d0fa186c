import { Cluster, Redis, ReplyError, type RedisOptions } from 'ioredis';
import { CircuitBreaker, CircuitOpenError, type CircuitState } from '../resilience/index.ts';
import type { Cache, CacheCircuit } from './cache.port.ts';
import { CacheUnavailableError } from './cache-unavailable-error.ts';

export interface RedisCacheOptions {
  readonly keyPrefix?: string;
  /**
   * Milliseconds a command may take, waiting for a connection included, before it fails (default
   * 500): Redis answers in well under a millisecond, so anything slower is an outage, and a request
   * must not wait longer than this on the cache.
   */
  readonly commandTimeoutMs?: number;
  /** Milliseconds every command fails at once after a failure, before one probes again (default 1000). */
  readonly circuitOpenMs?: number;
  /** Told when the circuit changes state (logs). */
  readonly onCircuitChange?: (state: CircuitState, previous: CircuitState) => void;
}

/** Where Redis is: one server's URL, or the seed nodes of a Redis Cluster (`redis://` URLs). */
export type RedisLocation = string | { readonly clusterNodes: readonly string[] };

/** A cluster node's address and, from its URL, the credentials and TLS that every node shares. */
function clusterNode(url: string): { host: string; port: number; username?: string; password?: string; tls: boolean } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    tls: parsed.protocol === 'rediss:',
  };
}

/**
 * The client: `Redis` for one server, ioredis's `Cluster` for a cluster (it follows MOVED/ASK and
 * sends each command to the node owning its key's hash slot). Every command `RedisCache` sends
 * names one key (a MULTI names one key throughout), so none spans hash slots (CROSSSLOT).
 */
function connect(location: RedisLocation, options: RedisOptions): Redis | Cluster {
  if (typeof location === 'string') return new Redis(location, options);
  const nodes = location.clusterNodes.map(clusterNode);
  const [first] = nodes;
  if (!first) throw new Error('a Redis Cluster needs at least one seed node');
  const { keyPrefix, enableOfflineQueue, enableAutoPipelining, ...nodeOptions } = options;
  return new Cluster(
    nodes.map(({ host, port }) => ({ host, port })),
    {
      ...(keyPrefix === undefined ? {} : { keyPrefix }),
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
      clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 1000),
      redisOptions: {
        ...nodeOptions,
        ...(first.username === undefined ? {} : { username: first.username }),
        ...(first.password === undefined ? {} : { password: first.password }),
        ...(first.tls ? { tls: {} } : {}),
      },
    },
  );
}

/**
 * Errors Redis itself answers (wrong type, …) say nothing about its availability; these do: the
 * server is starting, or has lost its primary.
 */
const OUTAGE_REPLY = /^(LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY)\b/;
const isOutage = (error: unknown): boolean => !(error instanceof ReplyError) || OUTAGE_REPLY.test((error as Error).message);

/**
 * Redis-backed cache shared by every process. Keys are prefixed so several deployments can share a
 * server. Every command runs through a circuit breaker: once Redis failed (a command timed out, the
 * connection closed), commands fail at once with `CacheUnavailableError` for a moment instead of
 * each waiting for its own timeout, then one probes; the reconnection closes the circuit too. So an
 * outage costs a request at most one command timeout, and recovery needs no restart.
 */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly redis: Redis | Cluster;
  private readonly breaker: CircuitBreaker;
  private connectedOnce = false;
  /** Set by `close`: the connection's end is then this process stopping, not an outage. */
  private closing = false;

  constructor(location: RedisLocation, options: RedisCacheOptions = {}) {
    const openMs = options.circuitOpenMs ?? 1000;
    this.breaker = new CircuitBreaker({ openMs, isOutage, ...(options.onCircuitChange ? { onStateChange: options.onCircuitChange } : {}) });
    this.redis = connect(location, {
      keyPrefix: options.keyPrefix ?? 'portico:',
      lazyConnect: false,
      // Commands issued before the first connection wait for it (bounded by commandTimeout); once
      // the connection is lost the circuit is open and commands fail before reaching the queue.
      enableOfflineQueue: true,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2000,
      // Reconnects for ever, every second at most once it failed a few times: recovery without restart.
      retryStrategy: (attempt) => Math.min(attempt * 200, 1000),
      // Commands issued in the same event-loop tick by concurrent requests go out in one write.
      enableAutoPipelining: true,
    });
    // Connection errors surface through failing commands and readiness; they must not crash the process.
    this.redis.on('error', () => undefined);
    // A lost connection fails every command until it is back: say so at once rather than per command.
    this.redis.on('close', () => {
      if (!this.closing) this.breaker.trip();
    });
    this.redis.on('ready', () => {
      this.connectedOnce = true;
      this.breaker.close();
    });
  }

  circuit(): CacheCircuit {
    return { state: this.breaker.state, opens: this.breaker.opens };
  }

  /**
   * This cache's connection, for the rate limiters of rate-limiter.ts only (their Lua script is
   * the library's): one connection and one set of Redis settings for everything shared.
   */
  rateLimitStore(): Redis | Cluster {
    return this.redis;
  }

  /** Runs a command through the circuit; every outage becomes `CacheUnavailableError`. */
  private async guarded<T>(command: () => Promise<T>): Promise<T> {
    // Known to be disconnected (after the first connection): waiting in the offline queue for the
    // next reconnection attempt would only delay the same failure; the reconnection closes the circuit.
    if (this.connectedOnce && this.redis.status !== 'ready') {
      this.breaker.trip();
      throw new CacheUnavailableError(this.breaker.retryAfterMs());
    }
    try {
      return await this.breaker.run(command);
    } catch (error) {
      if (error instanceof CircuitOpenError) throw new CacheUnavailableError(error.retryAfterMs, { cause: error });
      if (isOutage(error)) throw new CacheUnavailableError(this.breaker.retryAfterMs(), { cause: error });
      throw error;
    }
  }

  /**
   * One GET per key. Concurrent requests' commands still leave in one write (ioredis
   * auto-pipelining), and no command names keys of several hash slots, so Redis Cluster works.
   */
  get(key: string): Promise<string | null> {
    return this.guarded(() => this.redis.get(key));
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds === undefined) await this.guarded(() => this.redis.set(key, value));
    else await this.guarded(() => this.redis.set(key, value, 'EX', ttlSeconds));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.guarded(() => this.redis.set(key, value, 'EX', ttlSeconds, 'NX'))) === 'OK';
  }

  /** One DEL per key, pipelined together: keys of one command must share a hash slot under Redis Cluster. */
  async del(...keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.guarded(() => this.redis.del(key))));
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const [[, count]] = (await this.guarded(() => this.redis.multi().incr(key).expire(key, ttlSeconds, 'NX').exec())) as [[null, number]];
    return count;
  }

  async ping(): Promise<void> {
    // Through the circuit: readiness reports the cache down while it is open, and probes it.
    const answer = await this.guarded(() => this.redis.ping());
    if (answer !== 'PONG') throw new Error(`unexpected Redis PING answer ${answer}`);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.redis.disconnect();
  }
}
