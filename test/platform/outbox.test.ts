import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sql } from 'kysely';
import { OutboxRelay, unpublishedBacklog } from '../../src/platform/outbox/index.ts';
import { createUnitOfWork, migrateToLatest, transactionOf, txContextOf } from '../../src/platform/db/index.ts';
import { porticoMigrations } from '../../src/app/portico-migrations.ts';
import { defineEvent, recordEvent, recordEventIn, recordEvents, recordEventsIn, runInInteraction } from '../../src/platform/events/index.ts';
import { NatsBus, type Bus, type BusEvent } from '../../src/platform/bus/index.ts';
import { DIALECTS, TEST_NATS_URL, openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { waitFor } from '../support/wait-for.ts';
import { deleteTestStreams } from '../support/nats-cleanup.ts';

class RollbackRequested extends Error {}

const payload = z.record(z.string(), z.unknown());
const TestHappened = defineEvent({ type: 'TestHappened', version: 1, aggregateType: 'test', payload });
const TestOrdered = defineEvent({ type: 'TestOrdered', version: 1, aggregateType: 'test', payload });
const TestParallel = defineEvent({ type: 'TestParallel', version: 1, aggregateType: 'test', payload });
const TestTogether = defineEvent({ type: 'TestTogether', version: 1, aggregateType: 'test', payload });
const TestStrict = defineEvent({ type: 'TestStrict', version: 1, aggregateType: 'test', payload: z.object({ n: z.number() }) });

/** An event of a new aggregate of its own. */
const record = (db: Parameters<typeof recordEvent>[0], definition = TestHappened, data: Record<string, unknown> = {}) =>
  recordEvent(db, definition, { aggregateId: randomUUID(), tppClientId: null, payload: data });

for (const dialect of DIALECTS) {
  describe(`outbox (${dialect} + NATS JetStream)`, () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let bus: Bus;
    let observer: NatsBus;
    let relay: OutboxRelay;
    let failedPublishes = 0;
    const received: BusEvent[] = [];
    const namespace = uniqueName('outbox');

    before(async () => {
      database = await openTestDatabase(dialect);
      proxy = TcpProxy.forUrl(TEST_NATS_URL, 4222);
      await proxy.up();
      bus = await NatsBus.connect(proxy.rewrite(TEST_NATS_URL), { namespace, requestTimeoutMs: 1000 });
      observer = await NatsBus.connect(TEST_NATS_URL, { namespace });
      await observer.subscribe({ subject: 'test.>', durable: 'observer' }, async (events) => {
        received.push(...events);
      });
      relay = new OutboxRelay(database.db, bus, silentLogger, { pollMs: 50, maxBackoffMs: 200, observer: { published: () => undefined, failed: () => void (failedPublishes += 1) } });
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
      let rolledBack: { id: string } | undefined;
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          rolledBack = await record(trx, TestHappened, { n: 1 });
          throw new RollbackRequested();
        }),
        RollbackRequested,
      );
      const marker = await database.db.transaction().execute((trx) => record(trx, TestHappened, { n: 2 }));
      await waitFor(() => received.some((e) => e.id === marker.id), 'the committed marker event');
      assert.ok(rolledBack);
      assert.equal(received.some((e) => e.id === rolledBack!.id), false);
      const row = await database.db.selectFrom('outbox_events').select('id').where('id', '=', rolledBack.id).executeTakeFirst();
      assert.equal(row, undefined);
    });

    it('publishes a committed event once the bus, down at commit time, comes back', async () => {
      await proxy.down();
      const event = await database.db.transaction().execute((trx) => record(trx, TestHappened, { amountMinor: '1050' }));
      const failedBefore = failedPublishes;
      await waitFor(() => failedPublishes > failedBefore, 'a failed publish attempt');
      assert.equal((await unpublishedBacklog(database.db)).waiting, 1);
      assert.equal(received.some((e) => e.id === event.id), false);
      await proxy.up();
      await waitFor(() => received.some((e) => e.id === event.id), 'the event after the bus came back', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const copies = received.filter((e) => e.id === event.id);
      assert.equal(copies.length, 1);
      assert.deepEqual(copies[0]!.payload, { amountMinor: '1050' });
      assert.equal(copies[0]!.subject, `test.${event.aggregate.id}.TestHappened.v1`);
      assert.equal(copies[0]!.type, 'TestHappened');
      assert.deepEqual(copies[0]!.aggregate, { type: 'test', id: event.aggregate.id, version: 1 });
      await waitFor(async () => (await unpublishedBacklog(database.db)).waiting === 0, 'the relay past the event');
    });

    it('records events of several aggregates in one statement, each as its aggregate\'s next version, and publishes each once in order', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const first = await recordEvents(database.db, TestTogether, [
        { aggregateId: a, tppClientId: null, payload: { step: 'a1' } },
        { aggregateId: b, tppClientId: 'client-b', payload: { step: 'b1' } },
      ]);
      assert.deepEqual(first.map((e) => e.aggregate), [{ type: 'test', id: a, version: 1 }, { type: 'test', id: b, version: 1 }]);
      // Two of one aggregate in one call: recorded one after the other, in the order given.
      const second = await recordEvents(database.db, TestTogether, [
        { aggregateId: b, tppClientId: 'client-b', payload: { step: 'b2' } },
        { aggregateId: a, tppClientId: null, payload: { step: 'a2' } },
        { aggregateId: b, tppClientId: 'client-b', payload: { step: 'b3' } },
      ]);
      assert.deepEqual(second.map((e) => [e.aggregate.id, e.aggregate.version]), [[b, 2], [a, 2], [b, 3]]);
      const ids = [...first, ...second].map((e) => e.id);
      await waitFor(() => ids.every((id) => received.some((e) => e.id === id)), 'the events recorded together');
      const published = (id: string) => received.filter((e) => e.aggregate?.id === id).map((e) => [e.aggregate!.version, e.payload]);
      assert.deepEqual(published(a), [[1, { step: 'a1' }], [2, { step: 'a2' }]]);
      assert.deepEqual(published(b), [[1, { step: 'b1' }], [2, { step: 'b2' }], [3, { step: 'b3' }]]);
      assert.equal(received.find((e) => e.id === first[1]!.id)!.tppClientId, 'client-b');
    });

    it('writes the events recorded in a unit of work together just before it commits, each aggregate in the order recorded; a rollback writes none', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const uow = createUnitOfWork(database.db);
      const rowsOf = (db: Pick<TestDatabase['db'], 'selectFrom'>, ...aggregates: string[]) =>
        db.selectFrom('outbox_events').select(['aggregate_id', 'aggregate_version', 'payload']).where('aggregate_id', 'in', aggregates).orderBy('aggregate_id').orderBy('aggregate_version').execute();
      await uow.run(async (tx) => {
        await recordEventIn(tx, TestTogether, { aggregateId: a, tppClientId: null, payload: { step: 'a1' } });
        await recordEventsIn(tx, TestTogether, [{ aggregateId: b, tppClientId: null, payload: { step: 'b1' } }, { aggregateId: a, tppClientId: null, payload: { step: 'a2' } }]);
        await recordEventIn(tx, TestTogether, { aggregateId: b, tppClientId: null, payload: { step: 'b2' } });
        assert.deepEqual(await rowsOf(transactionOf(tx), a, b), [], 'nothing written before the commit');
      });
      const expected = [a, b].sort().flatMap((id) => [1, 2].map((version) => ({ aggregate_id: id, aggregate_version: version, payload: { step: `${id === a ? 'a' : 'b'}${version}` } })));
      assert.deepEqual(await rowsOf(database.db, a, b), expected);
      await waitFor(() => received.filter((e) => e.aggregate?.id === a || e.aggregate?.id === b).length === 4, 'the unit of work\'s events');
      assert.deepEqual(received.filter((e) => e.aggregate?.id === a).map((e) => e.payload), [{ step: 'a1' }, { step: 'a2' }]);

      const c = randomUUID();
      await assert.rejects(
        uow.run(async (tx) => {
          await recordEventIn(tx, TestTogether, { aggregateId: c, tppClientId: null, payload: { step: 'c1' } });
          throw new RollbackRequested();
        }),
        RollbackRequested,
      );
      // A payload its definition refuses is refused when recorded, not at the commit.
      await assert.rejects(uow.run((tx) => recordEventIn(tx, TestStrict, { aggregateId: c, tppClientId: null, payload: { n: 'one' } as never })), z.ZodError);
      assert.deepEqual(await rowsOf(database.db, c), []);

      // A transaction not opened by a unit of work has no moment before its commit: written at once.
      await database.db.transaction().execute(async (trx) => {
        await recordEventIn(txContextOf(trx), TestTogether, { aggregateId: c, tppClientId: null, payload: { step: 'c1' } });
        assert.equal((await rowsOf(trx, c)).length, 1);
      });
    });

    it('keeps payloads, client ids and interaction ids with quotes, backslashes, braces, commas and NULL-looking text exact', async () => {
      const tricky = { quote: 'say "hi"', backslash: 'C:\\path\\', braces: '{a,b}', comma: 'x, y', nullish: 'NULL', unicode: 'Zoë – 東京 🚀', nested: { list: ['{', '}', '"', '\\'] } };
      const [a, b] = [randomUUID(), randomUUID()];
      const events = await runInInteraction('interaction "quoted", {braced}', () =>
        recordEvents(database.db, TestTogether, [
          { aggregateId: a, tppClientId: 'client "a", {1}', payload: tricky },
          { aggregateId: b, tppClientId: 'NULL', payload: { ...tricky, second: true } },
        ]),
      );
      await waitFor(() => events.every((event) => received.some((e) => e.id === event.id)), 'the events with awkward text');
      const got = events.map((event) => received.find((e) => e.id === event.id)!);
      assert.deepEqual(got.map((e) => [e.payload, e.tppClientId, e.correlationId]), [
        [tricky, 'client "a", {1}', 'interaction "quoted", {braced}'],
        [{ ...tricky, second: true }, 'NULL', 'interaction "quoted", {braced}'],
      ]);
    });

    it("carries the interaction an event comes from; an aggregate's later event recorded outside any call inherits its last call's", async () => {
      const [paid, other] = [randomUUID(), randomUUID()];
      const submitted = await runInInteraction('submission-interaction', () => recordEvents(database.db, TestTogether, [{ aggregateId: paid, tppClientId: 'client-a', payload: { step: 'submitted' } }]));
      const settled = await recordEvents(database.db, TestTogether, [
        { aggregateId: paid, tppClientId: 'client-a', payload: { step: 'settled' } },
        { aggregateId: other, tppClientId: null, payload: { step: 'by the bank' } },
      ]);
      const revoked = await runInInteraction('revocation-interaction', () => recordEvents(database.db, TestTogether, [{ aggregateId: paid, tppClientId: 'client-a', payload: { step: 'revoked' } }]));
      assert.deepEqual([...submitted, ...settled, ...revoked].map((e) => e.correlationId), ['submission-interaction', 'submission-interaction', null, 'revocation-interaction']);
      const ids = [...submitted, ...settled, ...revoked].map((e) => e.id);
      await waitFor(() => ids.every((id) => received.some((e) => e.id === id)), 'the correlated events');
      assert.deepEqual(ids.map((id) => received.find((e) => e.id === id)!.correlationId), ['submission-interaction', 'submission-interaction', null, 'revocation-interaction']);
    });

    it('keeps commit order', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) ids.push((await record(database.db, TestOrdered, { i })).id);
      await waitFor(() => ids.every((id) => received.some((e) => e.id === id)), 'all ordered events');
      const order = received.filter((e) => e.type === 'TestOrdered').map((e) => e.id);
      assert.deepEqual(order, ids);
    });
  });
}

describe('outbox relays in several processes (PostgreSQL)', () => {
  it('publishes each event exactly once between them (one relay holds the position at a time)', async () => {
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
      for (let i = 0; i < 300; i++) ids.push((await record(database.db, TestParallel, { i })).id);
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

describe('outbox relays in two processes (PostgreSQL + NATS JetStream)', () => {
  it('never publishes event N+1 of an aggregate before event N, while writers commit concurrently', async () => {
    const database = await openTestDatabase('postgres');
    const namespace = uniqueName('outbox_order');
    const observer = await NatsBus.connect(TEST_NATS_URL, { namespace });
    const received: BusEvent[] = [];
    await observer.subscribe({ subject: 'test.>', durable: 'observer' }, async (events) => {
      received.push(...events);
    });
    // Each relay has its own connection and yields between publishes, so the two interleave.
    const buses = await Promise.all([0, 1].map(() => NatsBus.connect(TEST_NATS_URL, { namespace })));
    const slowed = (bus: NatsBus): Bus => ({
      kind: 'nats',
      publish: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        await bus.publish(event);
      },
      subscribe: (options, handler) => bus.subscribe(options, handler),
      ping: () => bus.ping(),
      close: () => bus.close(),
    });
    const relays = buses.map((bus) => new OutboxRelay(database.db, slowed(bus), silentLogger, { pollMs: 5, batchSize: 7 }));
    const aggregates = [randomUUID(), randomUUID(), randomUUID()];
    try {
      for (const relay of relays) relay.start();
      // Four writers, each committing 15 events on aggregates picked in turn, all at once.
      const written = (
        await Promise.all(
          [0, 1, 2, 3].map(async (writer) => {
            const ids: string[] = [];
            for (let i = 0; i < 15; i++) {
              const event = await recordEvent(database.db, TestOrdered, { aggregateId: aggregates[(writer + i) % 3]!, tppClientId: null, payload: { writer, i } });
              ids.push(event.id);
              relays[i % 2]!.nudge();
            }
            return ids;
          }),
        )
      ).flat();
      await waitFor(() => written.every((id) => received.some((e) => e.id === id)), 'all 60 events', 30_000);
      for (const aggregate of aggregates) {
        const first = new Set<string>();
        const versions = received.filter((e) => e.aggregate?.id === aggregate && !first.has(e.id) && first.add(e.id)).map((e) => e.aggregate!.version);
        assert.deepEqual(versions, [...Array(versions.length).keys()].map((k) => k + 1), `aggregate ${aggregate} arrives in version order`);
      }
      assert.equal(new Set(received.map((e) => e.id)).size, 60);
    } finally {
      for (const relay of relays) await relay.stop();
      for (const bus of buses) await bus.close();
      await observer.close();
      await database.close();
      await deleteTestStreams(namespace);
    }
  });
});

const flakyBus = (published: BusEvent[], failures: { next: number }): Bus => ({
  kind: 'memory',
  publish: async (event) => {
    if (failures.next > 0) {
      failures.next -= 1;
      throw new Error('bus unavailable');
    }
    published.push(event);
  },
  subscribe: async () => ({ stop: async () => undefined }),
  ping: async () => undefined,
  close: async () => undefined,
});

for (const dialect of DIALECTS) {
  describe(`outbox relay position (${dialect})`, () => {
    it('after a failed publish, the next pass starts at the first event not published, in order', async () => {
      const database = await openTestDatabase(dialect);
      const published: BusEvent[] = [];
      const relay = new OutboxRelay(database.db, flakyBus(published, { next: 1 }), silentLogger, { pollMs: 10 });
      try {
        const aggregateId = randomUUID();
        const first = await recordEvent(database.db, TestOrdered, { aggregateId, tppClientId: null, payload: { i: 1 } });
        const second = await recordEvent(database.db, TestOrdered, { aggregateId, tppClientId: null, payload: { i: 2 } });
        await assert.rejects(relay.relayOnce(), /bus unavailable/);
        assert.equal(published.length, 0);
        assert.equal((await unpublishedBacklog(database.db)).waiting, 2);
        assert.equal(await relay.relayOnce(), 2);
        assert.deepEqual(published.map((e) => [e.id, e.aggregate?.version]), [[first.id, 1], [second.id, 2]]);
        assert.equal(await relay.relayOnce(), 0);
        assert.equal((await unpublishedBacklog(database.db)).waiting, 0);
      } finally {
        await relay.stop();
        await database.close();
      }
    });

    it('writes nothing while there is nothing to publish (the position row keeps its version)', async () => {
      const database = await openTestDatabase(dialect);
      const published: BusEvent[] = [];
      const relay = new OutboxRelay(database.db, flakyBus(published, { next: 0 }), silentLogger, { pollMs: 10 });
      const version = async () => (await sql<{ v: string }>`SELECT xmin::text AS v FROM outbox_relay_positions`.execute(database.db)).rows[0]!.v;
      try {
        await record(database.db, TestOrdered, { n: 1 });
        assert.equal(await relay.relayOnce(), 1);
        const after = await version();
        for (let i = 0; i < 5; i++) assert.equal(await relay.relayOnce(), 0);
        assert.equal(await version(), after);
        await record(database.db, TestOrdered, { n: 2 });
        assert.equal(await relay.relayOnce(), 1);
        assert.notEqual(await version(), after);
      } finally {
        await relay.stop();
        await database.close();
      }
    });

    it('publishes a large backlog in chunks, each event once and in commit order', async () => {
      const database = await openTestDatabase(dialect);
      const published: BusEvent[] = [];
      const relay = new OutboxRelay(database.db, flakyBus(published, { next: 0 }), silentLogger, { pollMs: 10, batchSize: 7 });
      try {
        const ids: string[] = [];
        for (let i = 0; i < 30; i++) ids.push((await record(database.db, TestOrdered, { i })).id);
        const passes: number[] = [];
        for (let count = -1; count !== 0; ) passes.push((count = await relay.relayOnce()));
        assert.deepEqual(passes, [7, 7, 7, 7, 2, 0]);
        assert.deepEqual(published.map((e) => e.id), ids);
      } finally {
        await relay.stop();
        await database.close();
      }
    });

    it('publishes the events left unpublished when the database moved to snapshot windows, and not those already published', async () => {
      const database = await openTestDatabase(dialect, { migrate: false });
      const published: BusEvent[] = [];
      const relay = new OutboxRelay(database.db, flakyBus(published, { next: 0 }), silentLogger, { pollMs: 10 });
      try {
        const before = Object.fromEntries(Object.entries(porticoMigrations).filter(([name]) => name < '0060'));
        await migrateToLatest(database.db as never, before);
        const row = (id: string, publishedAt: Date | null) =>
          sql`INSERT INTO outbox_events (id, subject, payload, occurred_at, published_at, event_type, event_version, aggregate_type, aggregate_id, aggregate_version)
              VALUES (${id}::uuid, ${`test.${id}.TestOrdered.v1`}, '{}'::jsonb, now(), ${publishedAt}, 'TestOrdered', 1, 'test', ${id}, 1)`.execute(database.db);
        const [sent, owed] = [randomUUID(), randomUUID()];
        await row(sent, new Date());
        await row(owed, null);
        await migrateToLatest(database.db as never, porticoMigrations);
        assert.equal((await unpublishedBacklog(database.db)).waiting, 1);
        const later = await record(database.db, TestOrdered, { after: 'the upgrade' });
        assert.equal(await relay.relayOnce(), 2);
        assert.deepEqual(published.map((e) => e.id), [owed, later.id]);
      } finally {
        await relay.stop();
        await database.close();
      }
    });
  });
}

describe('outbox relay position (PostgreSQL)', () => {
  it('publishes an event whose transaction drew its place early and committed late (nothing skipped by a later commit)', async () => {
    const database = await openTestDatabase('postgres');
    const published: BusEvent[] = [];
    const relay = new OutboxRelay(database.db, flakyBus(published, { next: 0 }), silentLogger, { pollMs: 10 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let recorded!: () => void;
    const early = new Promise<void>((resolve) => (recorded = resolve));
    try {
      let late: { id: string } | undefined;
      const slow = database.db.transaction().execute(async (trx) => {
        late = await record(trx, TestOrdered, { commits: 'last' });
        recorded();
        await held;
      });
      await early;
      const quick = await record(database.db, TestOrdered, { commits: 'first' });
      assert.equal(await relay.relayOnce(), 1);
      release();
      await slow;
      assert.equal(await relay.relayOnce(), 1);
      assert.deepEqual(published.map((e) => e.id), [quick.id, late!.id]);
      const seqs = await database.db.selectFrom('outbox_events').select(['id', 'seq']).where('id', 'in', [quick.id, late!.id]).execute();
      const seqOf = (id: string) => BigInt(seqs.find((row) => row.id === id)!.seq);
      assert.ok(seqOf(late!.id) < seqOf(quick.id), 'the late transaction drew the earlier seq');
    } finally {
      release();
      await relay.stop();
      await database.close();
    }
  });

  it('a relay standing by takes the position over when the holder stops, or when its lease runs out', async () => {
    const database = await openTestDatabase('postgres');
    const published: BusEvent[] = [];
    const bus = flakyBus(published, { next: 0 });
    const [first, second, third] = [0, 1, 2].map(() => new OutboxRelay(database.db, bus, silentLogger, { pollMs: 10, leaseMs: 400 }));
    try {
      const one = await record(database.db, TestOrdered, { n: 1 });
      assert.equal(await first!.relayOnce(), 1);
      const two = await record(database.db, TestOrdered, { n: 2 });
      assert.equal(await second!.relayOnce(), 0, 'the position is held');
      first!.start();
      await first!.stop();
      assert.equal(await second!.relayOnce(), 1, 'handed back on stop');
      const three = await record(database.db, TestOrdered, { n: 3 });
      assert.equal(await third!.relayOnce(), 0, 'the position is held');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(await third!.relayOnce(), 1, 'taken over once the lease ran out');
      assert.deepEqual(published.map((e) => e.id), [one.id, two.id, three.id]);
      assert.equal(await second!.relayOnce(), 0, 'the former holder stands by');
    } finally {
      for (const relay of [first, second, third]) await relay!.stop();
      await database.close();
    }
  });
});
