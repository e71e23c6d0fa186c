import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GroupRuns } from '../../src/platform/batching/index.ts';

/** A group runner that records each group it ran and holds it until released. */
function recorder(fails: (items: readonly number[]) => boolean = () => false) {
  const groups: number[][] = [];
  const releases: Array<() => void> = [];
  const runs = new GroupRuns<number, string>(async (items) => {
    groups.push([...items]);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (fails(items)) throw new Error(`group ${items.join(',')} failed`);
    return items.map((item) => `done ${item}`);
  }, 3);
  const releaseNext = async () => {
    while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
    releases.shift()!();
  };
  return { runs, groups, releaseNext };
}

describe('GroupRuns (group commit)', () => {
  it('runs the first item at once, alone, and those that arrive meanwhile together next, at most maxGroup at a time', async () => {
    const { runs, groups, releaseNext } = recorder();
    const results = [runs.run(1)];
    await new Promise((resolve) => setImmediate(resolve));
    for (let item = 2; item <= 6; item++) results.push(runs.run(item));
    for (let i = 0; i < 3; i++) await releaseNext();
    assert.deepEqual(await Promise.all(results), [1, 2, 3, 4, 5, 6].map((item) => `done ${item}`));
    assert.deepEqual(groups, [[1], [2, 3, 4], [5, 6]]);
  });

  it('runs the members of a failed group again alone, so a bad item fails only itself', async () => {
    const { runs, groups, releaseNext } = recorder((items) => items.includes(3));
    const first = runs.run(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((item) => runs.run(item).then((result) => result, (error: Error) => error.message));
    for (let i = 0; i < 5; i++) await releaseNext();
    assert.equal(await first, 'done 1');
    assert.deepEqual(await Promise.all(rest), ['done 2', 'group 3 failed', 'done 4']);
    assert.deepEqual(groups, [[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('refuses a group size that is not a positive integer', () => {
    assert.throws(() => new GroupRuns(async () => [], 0), RangeError);
  });
});
