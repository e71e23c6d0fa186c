import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker, CircuitOpenError, type CircuitState } from '../../src/platform/resilience/index.ts';

/** A breaker on a clock the test moves, recording its changes of state. */
function breakerAt(start = 1_000, isOutage?: (error: unknown) => boolean) {
  let now = start;
  const changes: Array<[CircuitState, CircuitState]> = [];
  const breaker = new CircuitBreaker({ openMs: 1_000, now: () => now, onStateChange: (state, previous) => changes.push([previous, state]), ...(isOutage ? { isOutage } : {}) });
  return { breaker, changes, advance: (ms: number) => (now += ms) };
}

const outage = () => Promise.reject(new Error('connection refused'));

describe('CircuitBreaker', () => {
  it('passes calls through while closed', async () => {
    const { breaker } = breakerAt();
    assert.equal(await breaker.run(async () => 42), 42);
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.opens, 0);
  });

  it('after a failure, fails every call at once without making it, for the open period', async () => {
    const { breaker, advance } = breakerAt();
    await assert.rejects(breaker.run(outage), /connection refused/);
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.opens, 1);
    let called = 0;
    const call = async () => {
      called += 1;
      return 'answer';
    };
    await assert.rejects(breaker.run(call), (error: unknown) => error instanceof CircuitOpenError && error.retryAfterMs === 1_000);
    advance(999);
    await assert.rejects(breaker.run(call), (error: unknown) => error instanceof CircuitOpenError && error.retryAfterMs === 1);
    assert.equal(called, 0, 'no call reached the service while open');
    assert.equal(breaker.retryAfterMs(), 1);
  });

  it('then lets one call probe while the others still fail at once; its success closes the circuit', async () => {
    const { breaker, changes, advance } = breakerAt();
    await assert.rejects(breaker.run(outage));
    advance(1_000);
    let answer!: (value: string) => void;
    const probe = breaker.run(() => new Promise<string>((resolve) => (answer = resolve)));
    assert.equal(breaker.state, 'half-open');
    await assert.rejects(breaker.run(async () => 'other'), CircuitOpenError);
    answer('pong');
    assert.equal(await probe, 'pong');
    assert.equal(breaker.state, 'closed');
    assert.equal(await breaker.run(async () => 'next'), 'next');
    assert.deepEqual(changes, [['closed', 'open'], ['open', 'half-open'], ['half-open', 'closed']]);
  });

  it("a failed probe opens it for another period, and is not counted as a new interruption", async () => {
    const { breaker, advance } = breakerAt();
    await assert.rejects(breaker.run(outage));
    advance(1_000);
    await assert.rejects(breaker.run(outage), /connection refused/);
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.retryAfterMs(), 1_000);
    assert.equal(breaker.opens, 1);
    advance(1_000);
    assert.equal(await breaker.run(async () => 'back'), 'back');
    await assert.rejects(breaker.run(outage));
    assert.equal(breaker.opens, 2, 'a new failure after recovery is a new interruption');
  });

  it('errors that are not outages pass through without opening it', async () => {
    const { breaker } = breakerAt(1_000, (error) => !(error instanceof TypeError));
    await assert.rejects(breaker.run(() => Promise.reject(new TypeError('WRONGTYPE'))), TypeError);
    assert.equal(breaker.state, 'closed');
    assert.equal(await breaker.run(async () => 'still closed'), 'still closed');
  });

  it('opens and closes on outside news (connection lost, connection ready)', async () => {
    const { breaker, advance } = breakerAt();
    breaker.trip();
    assert.equal(breaker.state, 'open');
    await assert.rejects(breaker.run(async () => 'x'), CircuitOpenError);
    advance(500);
    breaker.trip(); // lost again while open: the period starts over, still one interruption
    assert.equal(breaker.retryAfterMs(), 1_000);
    assert.equal(breaker.opens, 1);
    breaker.close();
    assert.equal(breaker.state, 'closed');
    assert.equal(await breaker.run(async () => 'y'), 'y');
  });

  it('with failuresToOpen, opens only after that many outages in a row; a success in between starts the count again', async () => {
    let now = 1_000;
    const breaker = new CircuitBreaker({ openMs: 1_000, failuresToOpen: 3, now: () => now });
    for (let i = 0; i < 2; i++) await assert.rejects(breaker.run(outage), /connection refused/);
    assert.equal(await breaker.run(async () => 'ok'), 'ok');
    for (let i = 0; i < 2; i++) await assert.rejects(breaker.run(outage), /connection refused/);
    assert.equal(breaker.state, 'closed', 'two in a row after the success');
    await assert.rejects(breaker.run(outage), /connection refused/);
    assert.equal(breaker.state, 'open');
    await assert.rejects(breaker.run(async () => 'x'), CircuitOpenError);
    now += 1_000;
    await assert.rejects(breaker.run(outage), /connection refused/);
    assert.equal(breaker.state, 'open', 'a failed probe opens it again at once');
  });
});
