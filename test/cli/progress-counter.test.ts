import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { progressCounter } from '../../src/cli/progress-bar.ts';

/** A stream that keeps what is written to it, a terminal or not. */
function capture(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, text: '', write: (chunk: string) => ((stream.text += chunk), true) };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('progressCounter (long CLI work of unknown size)', () => {
  it('writes nothing for a phase done within its first second', () => {
    const out = capture(false);
    const counter = progressCounter('records proved', out);
    counter.update('2026-12-05', 1000);
    counter.stop();
    counter.update('2026-12-06', 20);
    counter.stop();
    assert.equal(out.text, '');
  });

  it('writes a line of the count and its rate once a phase has run a second, when not on a terminal', async () => {
    const out = capture(false);
    const counter = progressCounter('records proved', out);
    await sleep(1100);
    counter.update('2026-12-05', 1_250_000);
    counter.update('2026-12-05', 1_260_000); // within the second after the last line: not written
    counter.stop();
    assert.match(out.text, /^2026-12-05: 1,250,000 records proved \([\d,]+\/s\)\n$/);
    const rate = Number(/\(([\d,]+)\/s\)/.exec(out.text)![1]!.replaceAll(',', ''));
    assert.ok(rate > 0 && rate <= 1_250_000 / 1.1, `the rate counts from the phase's start: ${rate}`);
  });

  it('redraws one line in place on a terminal and takes it away when the phase stops', async () => {
    const out = capture(true);
    const counter = progressCounter('records proved', out);
    await sleep(150);
    counter.update('2026-12-05', 5000);
    await sleep(150);
    counter.update('2026-12-05', 10_000);
    counter.stop();
    const draws = out.text.split('\r\x1b[K');
    assert.deepEqual(draws.map((draw) => draw.replace(/\([\d,]+\/s\)/, '(…)')), ['', '2026-12-05: 5,000 records proved (…)', '2026-12-05: 10,000 records proved (…)', '']);
    assert.ok(!out.text.includes('\n'), 'no new lines on a terminal');
  });
});
