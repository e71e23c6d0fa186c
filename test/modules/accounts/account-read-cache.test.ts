import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAccountReadCache } from '../../../src/modules/accounts/index.ts';
import { decodeCached, encodeCached } from '../../../src/modules/accounts/read-cache-codec.ts';
import { RedisCache } from '../../../src/platform/cache/redis-cache.ts';
import { TEST_REDIS_URL, uniqueName } from '../../support/backends.ts';

describe('account read cache (Redis)', () => {
  const redis = new RedisCache(TEST_REDIS_URL, { keyPrefix: `${uniqueName('test')}:` });
  after(() => redis.close());

  it('round-trips bigint money, dates and NUL-leading strings exactly', () => {
    const value = { amountMinor: -12_345_678_901_234_567n, at: new Date('2026-02-03T04:05:06.789Z'), text: '\u0000d not a date', nested: [{ n: 0n, s: 'plain', none: null }] };
    assert.deepEqual(decodeCached(encodeCached(value)), value);
  });

  it('serves a cached read without loading again, per account and query', async () => {
    const cache = createAccountReadCache(redis);
    let loads = 0;
    const load = async () => ({ booked: BigInt(++loads) });
    assert.deepEqual(await cache.read(['acc-1'], 'balances', load), { booked: 1n });
    assert.deepEqual(await cache.read(['acc-1'], 'balances', load), { booked: 1n });
    assert.deepEqual(await cache.read(['acc-2'], 'balances', load), { booked: 2n });
    assert.equal(loads, 2);
  });

  it('an invalidation makes every read of the account miss, bulk reads included', async () => {
    const cache = createAccountReadCache(redis);
    let version = 1n;
    const load = async () => version;
    assert.equal(await cache.read(['a'], 'balances', load), 1n);
    assert.equal(await cache.read(['a', 'b'], 'bulk', load), 1n);
    version = 2n;
    assert.equal(await cache.read(['a'], 'balances', load), 1n, 'cached until invalidated');
    await cache.invalidate(['a']);
    assert.equal(await cache.read(['a'], 'balances', load), 2n);
    assert.equal(await cache.read(['a', 'b'], 'bulk', load), 2n);
  });

  it('a read that loaded before a posting cannot store stale data past the invalidation (race)', async () => {
    const cache = createAccountReadCache(redis);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loading!: () => void;
    const loadStarted = new Promise<void>((resolve) => (loading = resolve));
    // The slow reader has read the generation and loads the old balance; it stores it only after
    // the posting's invalidation.
    const slow = cache.read(['race'], 'balances', async () => {
      loading();
      await gate;
      return 100n;
    });
    await loadStarted;
    await cache.invalidate(['race']);
    release();
    assert.equal(await slow, 100n);
    assert.equal(await cache.read(['race'], 'balances', async () => 150n), 150n, 'the next read loads afresh');
  });

  it('two instances on one Redis: a copy kept in one process is dropped when another invalidates', async () => {
    const first = createAccountReadCache(redis);
    const second = createAccountReadCache(redis);
    let version = 1n;
    const load = async () => ({ version });
    const kept = await first.read(['shared'], 'balances', load);
    assert.equal(await first.read(['shared'], 'balances', load), kept, 'the decoded copy is reused in-process');
    version = 2n;
    await second.invalidate(['shared']);
    assert.deepEqual(await first.read(['shared'], 'balances', load), { version: 2n });
  });

  it('without Redis every read goes to the source, never to an unverifiable local copy', async () => {
    const down = new RedisCache('redis://127.0.0.1:1', { keyPrefix: `${uniqueName('down')}:`, commandTimeoutMs: 200 });
    try {
      const cache = createAccountReadCache(down);
      let loads = 0;
      const load = async () => ++loads;
      assert.equal(await cache.read(['x'], 'balances', load), 1);
      assert.equal(await cache.read(['x'], 'balances', load), 2);
    } finally {
      await down.close().catch(() => undefined);
    }
  });
});
