import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundedMemo } from '../../src/platform/memo/index.ts';

describe('boundedMemo', () => {
  it('keeps at most max entries, dropping the least recently used first', () => {
    const memo = boundedMemo<string, number>(2);
    memo.set('a', 1);
    memo.set('b', 2);
    assert.equal(memo.get('a'), 1);
    memo.set('c', 3);
    assert.deepEqual([memo.get('a'), memo.get('b'), memo.get('c')], [1, undefined, 3]);
  });

  it('derives a value once per key and again once it was forgotten or dropped', () => {
    const derived: string[] = [];
    const memo = boundedMemo(2, (key: string) => {
      derived.push(key);
      return { length: key.length };
    });
    const first = memo.memo('abc');
    assert.equal(memo.memo('abc'), first, 'the remembered value itself');
    memo.delete('abc');
    assert.deepEqual(memo.memo('abc'), { length: 3 });
    memo.memo('de');
    memo.memo('f');
    memo.memo('abc');
    assert.deepEqual(derived, ['abc', 'abc', 'de', 'f', 'abc']);
  });
});
