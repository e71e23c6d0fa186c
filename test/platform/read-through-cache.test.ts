import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCache, ReadThroughCache, type CacheCodec } from '../../src/platform/cache/index.ts';

const JSON_CODEC: CacheCodec = { encode: (value) => JSON.stringify(value), decode: (text) => JSON.parse(text) };

describe('ReadThroughCache', () => {
  it('loads once, then answers the local copy until a subject is invalidated', async () => {
    const cache = new ReadThroughCache(new MemoryCache(), { name: 't' });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    const first = await cache.read(['a'], 'x', load);
    assert.equal(await cache.read(['a'], 'x', load), first, 'the same shared copy');
    await cache.read(['a', 'b'], 'x', load);
    await cache.invalidate(['b']);
    assert.deepEqual(await cache.read(['a', 'b'], 'x', load), { n: 3 }, 'a read of several subjects misses when any is invalidated');
    assert.equal(await cache.read(['a'], 'x', load), first, 'reads of the others stand');
  });

  it('holds one copy per read in this process: a newer generation’s copy replaces the older, which no read could reach again', async () => {
    const cache = new ReadThroughCache(new MemoryCache(), { name: 't' });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    for (let change = 0; change < 50; change++) {
      await cache.read(['account-1'], 'balances', load);
      await cache.read(['account-1', 'account-2'], 'overview', load);
      await cache.invalidate(['account-1']);
    }
    assert.equal(loads, 100, 'each change made both reads load again');
    assert.equal(cache.localCopies, 2, 'two reads, two copies, not one per change');
    assert.deepEqual(await cache.read(['account-1'], 'balances', load), { n: 101 });
  });

  it('keeps only what `keep` accepts, reuses only what `reuse` accepts, and never keeps undefined', async () => {
    const cache = new ReadThroughCache(new MemoryCache(), { name: 't' });
    let loads = 0;
    let value: { status: string } | undefined = { status: 'pending' };
    const load = async () => (loads++, value);
    const options = { keep: (v: { status: string }) => v.status === 'ok', reuse: (v: { status: string }) => v.status === 'ok' && allowed };
    let allowed = true;
    await cache.read(['a'], 'x', load, options);
    await cache.read(['a'], 'x', load, options);
    assert.equal(loads, 2, 'a value keep refuses is loaded every time');
    value = { status: 'ok' };
    await cache.read(['a'], 'x', load, options);
    await cache.read(['a'], 'x', load, options);
    assert.equal(loads, 3);
    allowed = false;
    await cache.read(['a'], 'x', load, options);
    assert.equal(loads, 4, 'a copy reuse refuses is loaded again');
    value = undefined;
    assert.equal(await cache.read(['u'], 'x', load), undefined);
    await cache.read(['u'], 'x', load);
    assert.equal(loads, 6);
  });

  it('a read of no subjects is never invalidated, and its shared copy serves another instance', async () => {
    const shared = new MemoryCache();
    const options = { name: 'refs', maxAgeMs: Number.POSITIVE_INFINITY, shared: { codec: JSON_CODEC, ttlSeconds: 60 } };
    let loads = 0;
    const load = async () => `v${++loads}`;
    assert.equal(await new ReadThroughCache(shared, options).read([], 'k', load), 'v1');
    assert.equal(await shared.get('refs:k'), '"v1"', 'stored under the name and what, through the codec');
    assert.equal(await new ReadThroughCache(shared, options).read([], 'k', load), 'v1', 'another instance reads the shared copy');
    assert.equal(loads, 1);
  });

  it('without a shared copy configured, nothing but the generation is written to the shared cache', async () => {
    const shared = new MemoryCache();
    const cache = new ReadThroughCache(shared, { name: 'local' });
    await cache.read(['a'], 'x', async () => 'v');
    const generation = await shared.get('local:gen:a');
    assert.ok(generation);
    assert.equal(await shared.get(`local:x:a@${generation}`), null);
  });
});
