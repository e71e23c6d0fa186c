import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRateLimiter, RedisCache, type RateLimiter, type RateLimiterOptions } from '../../src/platform/cache/index.ts';
import { leaseSize } from '../../src/platform/cache/allowance-leases.ts';
import { TEST_REDIS_URL, uniqueName } from '../support/backends.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait-for.ts';

/** A window longer than any test, so no count starts again while one runs (no timing). */
const HOUR = 3600;

/**
 * Allowances taken from Redis in slices (decision 0017f), on several instances of one deployment:
 * each instance is a Redis cache of its own (its own connection) under the deployment's key prefix.
 */
describe('rate limiter: allowances leased from Redis in slices, shared by k instances', () => {
  const prefix = `${uniqueName('leases')}:`;
  const caches: RedisCache[] = [];
  // Connected before use: until an instance's connection is ready it counts in memory (the insurance limiter).
  before(async () => {
    for (let i = 0; i < 5; i++) caches.push(new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix }));
    for (const cache of caches) await cache.ping();
  });
  const instances = (k: number) => caches.slice(0, k);
  /** One limit as each of `k` instances builds it (the same name and figures). */
  const limiterOn = (k: number, options: Omit<RateLimiterOptions, 'name'> & { name?: string }) => {
    const name = options.name ?? uniqueName('limit');
    return { name, limiters: instances(k).map((cache) => createRateLimiter(cache, { ...options, name })) };
  };
  /** The count Redis holds for a key: the points granted to instances in its window. */
  const sharedCount = async (name: string, key: string) => {
    const value = await instances(1)[0]!.rateLimitStore().get(`${name}:${key}`);
    return value === null ? undefined : Number(value);
  };
  after(async () => {
    for (const cache of caches) await cache.close();
  });

  it('the slice: a quarter of the allowance over the expected instances, at most RATE_LIMIT_LEASE, at least 1', () => {
    assert.equal(leaseSize(10_000_000, { instances: 2, maxLease: 50 }), 50);
    assert.equal(leaseSize(600, { instances: 4, maxLease: 50 }), 37);
    assert.equal(leaseSize(120, { instances: 3, maxLease: 50 }), 10);
    assert.equal(leaseSize(600, { instances: 2, maxLease: 1 }), 1, 'RATE_LIMIT_LEASE=1: every request counted in Redis');
    for (const small of [1, 4, 10, 15]) assert.equal(leaseSize(small, { instances: 2, maxLease: 50 }), 1, `${small} per window on 2 instances`);
  });

  it('most requests touch no Redis: an instance takes a slice of 50 and spends it locally', async () => {
    const { name, limiters } = limiterOn(2, { points: 10_000, durationSeconds: HOUR, lease: { instances: 2, maxLease: 50 } });
    const [a, b] = limiters as [RateLimiter, RateLimiter];
    assert.deepEqual(await a.consume('tpp'), { admitted: true });
    assert.equal(await sharedCount(name, 'tpp'), 50, 'one slice taken');
    for (let i = 0; i < 49; i++) assert.deepEqual(await a.consume('tpp'), { admitted: true });
    assert.equal(await sharedCount(name, 'tpp'), 50, '49 more requests, no Redis');
    await a.consume('tpp');
    assert.equal(await sharedCount(name, 'tpp'), 100, 'the 51st takes the next slice');
    await b.consume('tpp');
    assert.equal(await sharedCount(name, 'tpp'), 150, 'the other instance takes its own');
    // Concurrent requests on an instance without a slice wait for one taking, not one each.
    await Promise.all(Array.from({ length: 40 }, () => a.consume('other')));
    assert.equal(await sharedCount(name, 'other'), 50);
  });

  it('attack: rate-limit bypass by switching instance — small allowances stay exact (one point at a time): 4 per window on 2 instances admit 4', async () => {
    const { name, limiters } = limiterOn(2, { points: 4, durationSeconds: HOUR, lease: { instances: 2, maxLease: 50 } });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await limiters[i % 2]!.consume('consent'));
    assert.deepEqual(answers.map((answer) => answer.admitted), [true, true, true, true, false, false, false, false]);
    for (const refused of answers.slice(4)) assert.ok(!refused.admitted && refused.retryAfterMs > 0 && refused.retryAfterMs <= HOUR * 1000);
    // Counted one at a time; once the allowance is spent, each instance asks Redis once more and then refuses locally (the key blocked in memory).
    assert.equal(await sharedCount(name, 'consent'), 6);
  });

  for (const { k, expected } of [
    { k: 3, expected: 3 },
    // More instances than REPLICAS says: the slices are larger than planned; still never over the allowance.
    { k: 5, expected: 2 },
  ]) {
    it(`attack: rate-limit bypass by spreading requests over ${k} instances (sized for ${expected}) — never more than the allowance; refusals start no earlier than allowance − (k−1)(slice−1)`, async () => {
      const points = 120;
      const lease = { instances: expected, maxLease: 50 };
      const slice = leaseSize(points, lease);
      const { limiters } = limiterOn(k, { points, durationSeconds: HOUR, lease });
      let admitted = 0;
      let admittedAtFirstRefusal: number | undefined;
      const refusedBy = new Set<number>();
      // Bursts of concurrent requests on one instance after another (in an order that is not
      // round-robin), until every instance refuses: the TPP has spent all it can get.
      for (let step = 0; refusedBy.size < k && step < 1000; step++) {
        const instance = (step * 7 + (step >> 2)) % k;
        const answers = await Promise.all(Array.from({ length: 1 + (step % 5) }, () => limiters[instance]!.consume('tpp')));
        for (const answer of answers) {
          if (answer.admitted) {
            admitted += 1;
            refusedBy.delete(instance);
          } else {
            admittedAtFirstRefusal ??= admitted;
            refusedBy.add(instance);
          }
        }
      }
      assert.equal(refusedBy.size, k, 'every instance ends up refusing');
      assert.ok(admitted <= points, `${admitted} admitted: never more than the allowance of ${points}`);
      const bound = points - (k - 1) * (slice - 1);
      assert.ok(admittedAtFirstRefusal! >= bound, `first refusal after ${admittedAtFirstRefusal} admitted, at least ${points} − ${k - 1}·${slice - 1} = ${bound}`);
    });
  }

  it('one instance alone admits exactly the allowance, taking ever smaller slices as it runs out', async () => {
    const { name, limiters } = limiterOn(1, { points: 120, durationSeconds: HOUR, lease: { instances: 1, maxLease: 50 } });
    let admitted = 0;
    while ((await limiters[0]!.consume('tpp')).admitted) admitted += 1;
    assert.equal(admitted, 120);
    const count = await sharedCount(name, 'tpp');
    assert.ok(count !== undefined && count >= 120 && count <= 121, `Redis counted ${count}: the last slice granted only what was left`);
  });

  it('window rollover: a slice lapses with its window; the next window grants a fresh allowance, taken from Redis again', async () => {
    const { name, limiters } = limiterOn(1, { points: 40, durationSeconds: 1, lease: { instances: 1, maxLease: 50 } });
    const [a] = limiters as [RateLimiter];
    assert.deepEqual(await a.consume('tpp'), { admitted: true });
    // Spend the window's allowance (however much of it this window still had), until refused.
    let refusal;
    while ((refusal = await a.consume('tpp')).admitted);
    assert.ok(refusal.retryAfterMs > 0 && refusal.retryAfterMs <= 1000, `refused until the window ends: ${refusal.retryAfterMs} ms`);
    // The next window: the first request admitted takes a new slice from Redis.
    await waitFor(async () => (await a.consume('tpp')).admitted, 'the next window', 5_000);
    assert.equal(await sharedCount(name, 'tpp'), 10);
    // A slice left unspent lapses too: the next window's first request takes from Redis again.
    await waitFor(async () => (await sharedCount(name, 'tpp')) === undefined, 'the window to end in Redis', 5_000);
    assert.deepEqual(await a.consume('tpp'), { admitted: true });
    assert.equal(await sharedCount(name, 'tpp'), 10);
  });
});

describe('rate limiter with slices when Redis cannot be reached', () => {
  const proxy = TcpProxy.forUrl(TEST_REDIS_URL, 6379);
  let cache: RedisCache;

  before(async () => {
    await proxy.up();
    cache = new RedisCache(proxy.rewrite(TEST_REDIS_URL), { keyPrefix: `${uniqueName('leases-outage')}:`, commandTimeoutMs: 600, circuitOpenMs: 1_000 });
    await cache.ping();
  });
  after(async () => {
    await cache?.close();
    await proxy.down();
  });

  it('the instance counts in memory with the same figures, one request at a time (exact per instance), and takes slices again once Redis is back', async () => {
    const name = uniqueName('limit');
    const limiter = createRateLimiter(cache, { name, points: 400, durationSeconds: HOUR, lease: { instances: 2, maxLease: 50 } });
    assert.deepEqual(await limiter.consume('tpp'), { admitted: true });
    await proxy.down();
    await waitFor(async () => cache.circuit().state !== 'closed', 'the lost connection to open the circuit', 5_000);
    let admitted = 0;
    let refusal;
    while ((refusal = await limiter.consume('tpp')).admitted) admitted += 1;
    assert.equal(admitted, 400, 'the in-memory allowance, as before slices');
    assert.ok(refusal.retryAfterMs > 0 && refusal.retryAfterMs <= HOUR * 1000);
    await proxy.up();
    await waitFor(async () => (await cache.ping().then(() => true, () => false)) && cache.circuit().state === 'closed', 'Redis to answer again', 10_000);
    assert.deepEqual(await limiter.consume('fresh'), { admitted: true });
    assert.equal(await cache.rateLimitStore().get(`${name}:fresh`), '50', 'a slice taken from Redis');
  });
});
