import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { enqueueEvent, OutboxRelay } from '../../src/platform/outbox/index.ts';
import { NatsBus, type Bus, type BusEvent } from '../../src/platform/bus/index.ts';
import { DIALECTS, TEST_NATS_URL, openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { waitFor } from '../support/wait-for.ts';
import { deleteTestStreams } from '../support/nats-cleanup.ts';

class RollbackRequested extends Error {}

for (const dialect of DIALECTS) {
  describe(`outbox (${dialect} + NATS JetStream)`, () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let bus: Bus;
    let observer: NatsBus;
    let relay: OutboxRelay;
    const received: BusEvent[] = [];
    const namespace = uniqueName('outbox');

    before(async () => {
      database = await openTestDatabase(dialect);
      proxy = TcpProxy.forUrl(TEST_NATS_URL, 4222);
      await proxy.up();
      bus = await NatsBus.connect(proxy.rewrite(TEST_NATS_URL), { namespace, requestTimeoutMs: 1000 });
      observer = await NatsBus.connect(TEST_NATS_URL, { namespace });
      await observer.subscribe({ subject: 'test.>', durable: 'observer' }, async (event) => {
        received.push(event);
      });
      relay = new OutboxRelay(database.db, bus, silentLogger, { pollMs: 50, maxBackoffMs: 200 });
      relay.start();
    });

    after(async () => {
      await relay.stop();
      await bus.close();
      await observer.close();
      await proxy.down();
      await database.close();
      await deleteTestStreams(namespace);
    });

    it('never publishes an event written in a rolled-back transaction', async () => {
      let rolledBack: BusEvent | undefined;
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          rolledBack = await enqueueEvent(trx, 'test.rolled-back', { n: 1 });
          throw new RollbackRequested();
        }),
        RollbackRequested,
      );
      const marker = await database.db.transaction().execute((trx) => enqueueEvent(trx, 'test.marker', { n: 2 }));
      await waitFor(() => received.some((e) => e.id === marker.id), 'the committed marker event');
      assert.ok(rolledBack);
      assert.equal(received.some((e) => e.id === rolledBack!.id), false);
      const row = await database.db.selectFrom('outbox_events').select('id').where('id', '=', rolledBack.id).executeTakeFirst();
      assert.equal(row, undefined);
    });

    it('publishes a committed event once the bus, down at commit time, comes back', async () => {
      await proxy.down();
      const event = await database.db.transaction().execute((trx) => enqueueEvent(trx, 'test.while-down', { amountMinor: '1050' }));
      await waitFor(
        async () => ((await database.db.selectFrom('outbox_events').select('attempts').where('id', '=', event.id).executeTakeFirst())?.attempts ?? 0) > 0,
        'a failed publish attempt to be recorded',
      );
      assert.equal(received.some((e) => e.id === event.id), false);
      await proxy.up();
      await waitFor(() => received.some((e) => e.id === event.id), 'the event after the bus came back', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const copies = received.filter((e) => e.id === event.id);
      assert.equal(copies.length, 1);
      assert.deepEqual(copies[0]!.payload, { amountMinor: '1050' });
      assert.equal(copies[0]!.subject, 'test.while-down');
      const row = await database.db.selectFrom('outbox_events').select('published_at').where('id', '=', event.id).executeTakeFirstOrThrow();
      assert.ok(row.published_at instanceof Date);
    });

    it('keeps commit order', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) ids.push((await enqueueEvent(database.db, 'test.ordered', { i })).id);
      await waitFor(() => ids.every((id) => received.some((e) => e.id === id)), 'all ordered events');
      const order = received.filter((e) => e.subject === 'test.ordered').map((e) => e.id);
      assert.deepEqual(order, ids);
    });
  });
}

describe('outbox relays in several processes (PostgreSQL)', () => {
  it('publishes each event exactly once between them (FOR UPDATE SKIP LOCKED)', async () => {
    const database = await openTestDatabase('postgres');
    const published = new Map<string, number>();
    const countingBus: Bus = {
      kind: 'memory',
      publish: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        published.set(event.id, (published.get(event.id) ?? 0) + 1);
      },
      subscribe: async () => ({ stop: async () => undefined }),
      ping: async () => undefined,
      close: async () => undefined,
    };
    const relays = [0, 1, 2].map(() => new OutboxRelay(database.db, countingBus, silentLogger, { pollMs: 10, batchSize: 20 }));
    try {
      const ids: string[] = [];
      for (let i = 0; i < 300; i++) ids.push((await enqueueEvent(database.db, 'test.parallel', { i })).id);
      for (const relay of relays) relay.start();
      await waitFor(() => published.size === 300, 'all 300 events published');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(published.size, 300);
      assert.deepEqual([...new Set(published.values())], [1]);
    } finally {
      for (const relay of relays) await relay.stop();
      await database.close();
    }
  });
});
