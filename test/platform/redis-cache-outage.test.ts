import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { CacheUnavailableError, RedisCache } from '../../src/platform/cache/index.ts';
import { TEST_REDIS_URL, uniqueName } from '../support/backends.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait-for.ts';

/** How long a promise took to settle, and how. */
async function timed<T>(work: Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const started = performance.now();
  const [result] = await Promise.allSettled([work]);
  return { ms: performance.now() - started, result: result! };
}

const unavailable = (result: PromiseSettledResult<unknown>) => result.status === 'rejected' && result.reason instanceof CacheUnavailableError;

describe('RedisCache when Redis cannot be reached', () => {
  const proxy = TcpProxy.forUrl(TEST_REDIS_URL, 6379);
  let cache: RedisCache;

  before(async () => {
    await proxy.up();
    cache = new RedisCache(proxy.rewrite(TEST_REDIS_URL), { keyPrefix: `${uniqueName('outage')}:`, commandTimeoutMs: 600, circuitOpenMs: 1_000 });
    await cache.set('k', 'v', 60);
  });
  after(async () => {
    await cache?.close();
    await proxy.down();
  });

  it('refused connections: every command fails at once with CacheUnavailableError, and it recovers without a restart', async () => {
    await proxy.down();
    await waitFor(async () => cache.circuit().state !== 'closed', 'the lost connection to open the circuit', 5_000);
    const opensBefore = cache.circuit().opens;
    const commands: Array<() => Promise<unknown>> = [() => cache.get('k'), () => cache.set('k', 'w'), () => cache.setIfAbsent('n', '1', 60), () => cache.increment('c', 60), () => cache.del('k'), () => cache.ping()];
    for (const command of commands) {
      const { ms, result } = await timed(command());
      assert.ok(unavailable(result), `rejected with CacheUnavailableError: ${String((result as PromiseRejectedResult).reason)}`);
      assert.ok(ms < 400, `answered without waiting for the 600 ms command timeout (took ${Math.round(ms)} ms)`);
    }
    const error = ((await timed(cache.get('k'))).result as PromiseRejectedResult).reason as CacheUnavailableError;
    assert.ok(error.retryAfterSeconds >= 1 && error.retryAfterSeconds <= 2);
    await proxy.up();
    await waitFor(async () => (await cache.get('k').catch(() => 'down')) === 'v', 'Redis to answer again', 10_000);
    assert.equal(cache.circuit().state, 'closed');
    assert.equal(cache.circuit().opens, opensBefore, 'one interruption');
  });

  it('a black hole (connection open, no answers): one command waits for its timeout, the next ones fail at once', async () => {
    await cache.ping();
    const opensBefore = cache.circuit().opens;
    proxy.stall();
    try {
      const first = await timed(cache.get('k'));
      assert.ok(unavailable(first.result));
      assert.ok(first.ms >= 500 && first.ms < 1_500, `the first waited for the 600 ms command timeout (took ${Math.round(first.ms)} ms)`);
      assert.equal(cache.circuit().state, 'open');
      assert.equal(cache.circuit().opens, opensBefore + 1);
      const next = await timed(Promise.all([cache.get('k'), cache.get('other'), cache.set('x', 'y')]));
      assert.ok(unavailable(next.result));
      assert.ok(next.ms < 300, `the next failed at once, not after the timeout (took ${Math.round(next.ms)} ms)`);
    } finally {
      proxy.flow();
    }
    await waitFor(async () => (await cache.get('k').catch(() => 'down')) === 'v', 'the probe to close the circuit', 10_000);
    assert.equal(cache.circuit().state, 'closed');
  });

  it('closing the cache is no outage: the circuit stays closed and nothing reports the cache unreachable', async () => {
    const changes: string[] = [];
    const closing = new RedisCache(TEST_REDIS_URL, { keyPrefix: `${uniqueName('closing')}:`, onCircuitChange: (state) => changes.push(state) });
    await closing.set('k', 'v', 60);
    await closing.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(changes, []);
    assert.equal(closing.circuit().state, 'closed');
  });
});
