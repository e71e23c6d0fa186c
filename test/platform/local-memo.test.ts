import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshnessNow, Generations, LocalMemo, type Cache } from '../../src/platform/cache/index.ts';
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

  /** The cache, counting the reads that reach it. */
  function counted(): { cache: Cache; gets: () => number } {
    let gets = 0;
    const wrapped = Object.create(cache) as Cache;
    wrapped.get = (key: string) => {
      gets += 1;
      return cache.get(key);
    };
    return { cache: wrapped, gets: () => gets };
  }

  it('callers stamped before a read was issued share it: one round trip for all of them', async () => {
    const { cache: countedCache, gets } = counted();
    const generations = new Generations(countedCache);
    await generations.current('gen:shared');
    const before = gets();
    const asOf = freshnessNow();
    generations.readAhead('gen:shared');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => generations.current('gen:shared', asOf)));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(gets() - before, 1, 'the read-ahead answered all ten');
    assert.equal(await generations.current('gen:shared', asOf), tokens[0], 'also once it has settled');
    assert.equal(gets() - before, 1);
  });

  it('a caller stamped after a read was issued never takes it up: it reads for itself', async () => {
    const { cache: countedCache, gets } = counted();
    const generations = new Generations(countedCache);
    await generations.current('gen:later'); // the key exists: from here on every read is one GET
    const early = freshnessNow();
    generations.readAhead('gen:later');
    await generations.current('gen:later', early);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const before = gets();
    await generations.current('gen:later', freshnessNow());
    await generations.current('gen:later');
    assert.equal(gets() - before, 2, 'each read on its own');
  });

  it('stale read-ahead: a bump completed before the caller was stamped is always seen', async () => {
    const generations = new Generations(cache);
    const writer = new Generations(cache);
    const old = await generations.current('gen:bumped');
    generations.readAhead('gen:bumped'); // issued before the change: it may answer the old token
    await writer.bump('gen:bumped');
    const asOf = freshnessNow(); // a request arriving after the change completed
    const seen = await generations.current('gen:bumped', asOf);
    assert.ok(seen);
    assert.notEqual(seen, old, 'the read issued before the bump is not taken up');
  });
});

describe('LocalMemo across interruptions of the shared cache', () => {
  it('never reuses an entry stored before the cache was interrupted, whatever its generation', () => {
    let interruptions = 0;
    const memo = new LocalMemo<string>({ interruptions: () => interruptions });
    memo.set('consent', 'g1', 'Authorised');
    assert.equal(memo.get('consent', 'g1'), 'Authorised');
    // A revocation meanwhile may have failed to retire g1: the generation proves nothing any more.
    interruptions = 1;
    assert.equal(memo.get('consent', 'g1'), undefined);
    memo.set('consent', 'g1', 'Revoked');
    assert.equal(memo.get('consent', 'g1'), 'Revoked', 'entries stored since are reused again');
  });
});
