import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MAX_REDELIVERY_DELAY_MS, MemoryBus, NatsBus, redeliveryDelayMs, subjectMatches, type Bus, type BusEvent } from '../../src/platform/bus/index.ts';
import { TEST_NATS_URL, uniqueName } from '../support/backends.ts';
import { deleteTestStreams } from '../support/nats-cleanup.ts';

const namespaces: string[] = [];
const testNamespace = (prefix: string) => {
  const namespace = uniqueName(prefix);
  namespaces.push(namespace);
  return namespace;
};

after(async () => {
  await deleteTestStreams(...namespaces);
});

function event(subject: string, payload: unknown = {}): BusEvent {
  return { id: randomUUID(), subject, occurredAt: new Date().toISOString(), payload };
}

async function waitUntil(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('subject matching', () => {
  it('follows NATS wildcard rules', () => {
    assert.equal(subjectMatches('core.*', 'core.entry-posted'), true);
    assert.equal(subjectMatches('core.*', 'core.entry.posted'), false);
    assert.equal(subjectMatches('core.>', 'core.entry.posted'), true);
    assert.equal(subjectMatches('core.>', 'core'), false);
    assert.equal(subjectMatches('core.entry-posted', 'core.entry-posted'), true);
    assert.equal(subjectMatches('core.entry-posted', 'core.entry-posted.x'), false);
  });
});

describe('redelivery of a failing batch', () => {
  it('waits the first delay ten times, then twice as long each time up to 30 s', () => {
    const delays = Array.from({ length: 20 }, (_, i) => redeliveryDelayMs(i + 1, 500));
    assert.deepEqual(delays, [500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000]);
    assert.equal(redeliveryDelayMs(10_000, 500), MAX_REDELIVERY_DELAY_MS);
  });
});

const adapters: Array<[string, () => Promise<Bus>]> = [
  ['memory', async () => new MemoryBus(20)],
  ['nats', () => NatsBus.connect(TEST_NATS_URL, { namespace: testNamespace('test') })],
];

for (const [name, create] of adapters) {
  describe(`bus (${name})`, () => {
    let bus: Bus;
    before(async () => {
      bus = await create();
    });
    after(async () => {
      await bus.close();
    });

    it('answers ping', async () => {
      await bus.ping();
    });

    it('delivers matching events in order, once per durable consumer', async () => {
      const received: string[] = [];
      const audit: string[] = [];
      const a = await bus.subscribe({ subject: 'orders.*', durable: 'orders-reader' }, async (events) => {
        received.push(...events.map((e) => (e.payload as { n: string }).n));
      });
      const b = await bus.subscribe({ subject: 'orders.>', durable: 'orders-audit' }, async (events) => {
        audit.push(...events.map((e) => e.subject));
      });
      for (const n of ['1', '2', '3']) await bus.publish(event('orders.created', { n }));
      await bus.publish(event('payments.created', { n: 'x' }));
      await waitUntil(() => received.length === 3 && audit.length === 3);
      assert.deepEqual(received, ['1', '2', '3']);
      assert.deepEqual(audit, ['orders.created', 'orders.created', 'orders.created']);
      await a.stop();
      await b.stop();
    });

    it('drops a re-published event with the same id', async () => {
      const received: string[] = [];
      const sub = await bus.subscribe({ subject: 'dedupe.>', durable: 'dedupe-reader' }, async (events) => {
        received.push(...events.map((e) => e.id));
      });
      const once = event('dedupe.test');
      await bus.publish(once);
      await bus.publish(once);
      await bus.publish(event('dedupe.test'));
      await waitUntil(() => received.length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(received.length, 2);
      assert.equal(received.filter((id) => id === once.id).length, 1);
      await sub.stop();
    });

    it('hands a batch consumer the events waiting for it together, in order, never more than maxBatch at once', async () => {
      const batches: string[][] = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const sub = await bus.subscribe({ subject: 'batch.>', durable: 'batch-reader', maxBatch: 4 }, async (events) => {
        batches.push(events.map((e) => (e.payload as { n: string }).n));
        // The first delivery waits while the rest are published, so they queue up behind it.
        if (batches.length === 1) await held;
      });
      await bus.publish(event('batch.item', { n: '0' }));
      await waitUntil(() => batches.length === 1);
      for (let n = 1; n <= 9; n++) await bus.publish(event('batch.item', { n: String(n) }));
      // NATS delivers on its own schedule: let all nine reach the consumer before the first returns.
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      await waitUntil(() => batches.flat().length === 10);
      assert.deepEqual(batches.flat(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      assert.deepEqual(batches[0], ['0']);
      assert.ok(batches.every((batch) => batch.length <= 4), `batches ${JSON.stringify(batches)}`);
      assert.ok(batches.length <= 4, `nine waiting events came in ${batches.length - 1} batches: ${JSON.stringify(batches)}`);
      await sub.stop();
    });

    it('redelivers an event whose handler failed', async () => {
      let attempts = 0;
      const handled: string[] = [];
      const sub = await bus.subscribe({ subject: 'flaky.>', durable: 'flaky-reader' }, async (events) => {
        attempts += 1;
        if (attempts < 3) throw new Error('temporary failure');
        handled.push(...events.map((e) => e.id));
      });
      const e = event('flaky.thing');
      await bus.publish(e);
      await waitUntil(() => handled.length === 1, 15_000);
      assert.deepEqual(handled, [e.id]);
      assert.equal(attempts, 3);
      await sub.stop();
    });
  });
}

describe('bus (nats) across processes', () => {
  it('shares a durable consumer between two connections and delivers each event to one of them', async () => {
    const namespace = testNamespace('shared');
    const one = await NatsBus.connect(TEST_NATS_URL, { namespace });
    const two = await NatsBus.connect(TEST_NATS_URL, { namespace });
    const seen: string[] = [];
    try {
      const s1 = await one.subscribe({ subject: 'work.>', durable: 'workers' }, async (events) => {
        seen.push(...events.map((e) => e.id));
      });
      const s2 = await two.subscribe({ subject: 'work.>', durable: 'workers' }, async (events) => {
        seen.push(...events.map((e) => e.id));
      });
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const e = event('work.item', { i });
        ids.push(e.id);
        await one.publish(e);
      }
      await waitUntil(() => seen.length >= 20);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual([...seen].sort(), [...ids].sort());
      await s1.stop();
      await s2.stop();
    } finally {
      await one.close();
      await two.close();
    }
  });
});
