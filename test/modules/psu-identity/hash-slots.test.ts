import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HashSlots, HashSlotsBusy } from '../../../src/modules/psu-identity/index.ts';

/** A task that runs until released, recording how many run at once. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { task: () => done, release };
}

describe('password hashing slots', () => {
  it('attack: a flood of logins queues behind the limit and is refused beyond the queue, not piled up', async () => {
    const slots = new HashSlots(2, 1, 60_000);
    const [a, b, c] = [gate(), gate(), gate()];
    const first = slots.run(a.task);
    const second = slots.run(b.task);
    const third = slots.run(c.task);
    // Two run, one waits; the fourth finds the queue full and is refused at once.
    await assert.rejects(slots.run(async () => 'never'), HashSlotsBusy);
    assert.equal(slots.runs, 2);
    a.release();
    await first;
    assert.equal(slots.runs, 3, 'the queued attempt takes the freed slot');
    b.release();
    c.release();
    await Promise.all([second, third]);
    assert.equal(slots.peak, 2);
    assert.equal(await slots.run(async () => 'next'), 'next', 'slots are returned');
  });

  it('refuses an attempt that waited too long for a slot, and gives its place up', async () => {
    const slots = new HashSlots(1, 5, 10);
    const held = gate();
    const running = slots.run(held.task);
    await assert.rejects(slots.run(async () => 'late'), HashSlotsBusy);
    held.release();
    await running;
    assert.equal(await slots.run(async () => 'free again'), 'free again');
    assert.deepEqual([slots.runs, slots.peak], [2, 1]);
  });

  it('frees the slot of a failing hash', async () => {
    const slots = new HashSlots(1, 0, 0);
    await assert.rejects(slots.run(async () => Promise.reject(new Error('scrypt failed'))), /scrypt failed/);
    assert.equal(await slots.run(async () => 'ok'), 'ok');
  });
});
