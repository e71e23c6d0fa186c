import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { Generations, LocalMemo } from '../../src/platform/cache/index.ts';
import { openTestCache } from '../support/backends.ts';

describe('LocalMemo', () => {
  it('reuses an entry only under the generation it was stored under', () => {
    const memo = new LocalMemo<string>();
    memo.set('k', 'g1', 'v1');
    assert.equal(memo.get('k', 'g1'), 'v1');
    assert.equal(memo.get('k', 'g2'), undefined, 'another generation misses');
    assert.equal(memo.get('k', 'g1'), undefined, 'and the stale entry is gone');
  });

  it('never past its maximum age nor the deadline it was given', () => {
    let now = 1_000;
    const memo = new LocalMemo<string>({ maxAgeMs: 100, now: () => now });
    memo.set('aged', 'g', 'a');
    memo.set('deadline', 'g', 'd', 1_050);
    now = 1_049;
    assert.equal(memo.get('deadline', 'g'), 'd');
    now = 1_050;
    assert.equal(memo.get('deadline', 'g'), undefined);
    assert.equal(memo.get('aged', 'g'), 'a');
    now = 1_100;
    assert.equal(memo.get('aged', 'g'), undefined);
    memo.set('already-over', 'g', 'x', 1_000);
    assert.equal(memo.get('already-over', 'g'), undefined);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const memo = new LocalMemo<number>({ maxEntries: 2 });
    memo.set('a', 'g', 1);
    memo.set('b', 'g', 2);
    assert.equal(memo.get('a', 'g'), 1);
    memo.set('c', 'g', 3);
    assert.equal(memo.get('b', 'g'), undefined, 'b was the least recently used');
    assert.equal(memo.get('a', 'g'), 1);
    assert.equal(memo.get('c', 'g'), 3);
    assert.equal(memo.size, 2);
  });
});

describe('Generations (Redis)', () => {
  const cache = openTestCache('generations');
  after(() => cache.close());

  it('one token per key for every reader until bumped; never the same token again', async () => {
    const a = new Generations(cache);
    const b = new Generations(cache);
    const first = await a.current('gen:x');
    assert.ok(first && first.length >= 12);
    assert.equal(await b.current('gen:x'), first);
    await b.bump('gen:x');
    const second = await a.current('gen:x');
    assert.notEqual(second, first);
    assert.equal(await b.current('gen:x'), second);
  });

  it('concurrent first readers agree on one token', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, () => new Generations(cache).current('gen:race')));
    assert.equal(new Set(tokens).size, 1);
  });
});
