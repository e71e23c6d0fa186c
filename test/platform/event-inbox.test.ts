import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { subjectMatches, type Bus, type BusEvent, type EventHandler } from '../../src/platform/bus/index.ts';
import { consumeEvents, defineEvent, subjectOf } from '../../src/platform/events/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';

const CreditApplied = defineEvent({ type: 'CreditApplied', version: 1, aggregateType: 'wallet', payload: z.object({ amountMinor: z.string() }) });

/** A bus that hands each delivery to the subscribed handlers as often as the test says: at-least-once redelivery. */
class RedeliveringBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly handlers: { filter: string; handler: EventHandler }[] = [];
  async publish(): Promise<void> {}
  async subscribe(options: { subject: string }, handler: EventHandler) {
    this.handlers.push({ filter: options.subject, handler });
    return { stop: async () => undefined };
  }
  async deliver(...events: BusEvent[]): Promise<void> {
    for (const { filter, handler } of this.handlers) {
      const matching = events.filter((event) => subjectMatches(filter, event.subject));
      if (matching.length > 0) await handler(matching);
    }
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

const credit = (walletId: string, amountMinor: string, id = randomUUID()): BusEvent => ({
  id,
  subject: subjectOf(CreditApplied, walletId),
  occurredAt: new Date().toISOString(),
  type: 'CreditApplied',
  version: 1,
  aggregate: { type: 'wallet', id: walletId, version: 1 },
  tppClientId: null,
  payload: { amountMinor },
});

for (const dialect of DIALECTS) {
  describe(`event inbox (${dialect})`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await openTestDatabase(dialect);
      await sql`CREATE TABLE wallet_credits (wallet_id text NOT NULL, amount_minor bigint NOT NULL)`.execute(database.db);
    });
    after(async () => {
      await database?.close();
    });

    const creditsOf = async (walletId: string) =>
      (await sql<{ amount_minor: bigint }>`SELECT amount_minor FROM wallet_credits WHERE wallet_id = ${walletId}`.execute(database.db)).rows.map((row) => row.amount_minor);

    async function transactionalConsumer(name: string, bus: RedeliveringBus, failFirst = false) {
      let failures = failFirst ? 1 : 0;
      await consumeEvents(
        { bus, db: database.db, logger: silentLogger },
        {
          name,
          events: [CreditApplied],
          transactional: true,
          async apply(event, trx) {
            const { amountMinor } = event.payload as { amountMinor: string };
            await sql`INSERT INTO wallet_credits VALUES (${event.aggregate.id}, ${BigInt(amountMinor)})`.execute(trx);
            if (failures-- > 0) throw new Error('consumer crashed after its write');
          },
        },
      );
    }

    it('applies an event the bus delivers twice once (transactional consumer)', async () => {
      const bus = new RedeliveringBus();
      await transactionalConsumer('wallet-projection', bus);
      const wallet = randomUUID();
      const event = credit(wallet, '1050');
      await bus.deliver(event);
      await bus.deliver(event);
      assert.deepEqual(await creditsOf(wallet), [1050n]);
      const recorded = await database.db.selectFrom('processed_events').select(['consumer', 'event_id']).where('event_id', '=', event.id).execute();
      assert.deepEqual(recorded, [{ consumer: 'wallet-projection', event_id: event.id }]);
    });

    it('applies an event delivered to two processes at once once (transactional consumer)', async () => {
      const [a, b] = [new RedeliveringBus(), new RedeliveringBus()];
      await transactionalConsumer('wallet-projection-shared', a);
      await transactionalConsumer('wallet-projection-shared', b);
      const wallet = randomUUID();
      const event = credit(wallet, '700');
      await Promise.all([a.deliver(event), b.deliver(event), a.deliver(event)]);
      assert.deepEqual(await creditsOf(wallet), [700n]);
    });

    it('applies a redelivered event whose first application failed: its inbox record rolled back with it', async () => {
      const bus = new RedeliveringBus();
      await transactionalConsumer('wallet-projection-flaky', bus, true);
      const wallet = randomUUID();
      const event = credit(wallet, '300');
      await assert.rejects(bus.deliver(event), /consumer crashed after its write/);
      assert.deepEqual(await creditsOf(wallet), []);
      await bus.deliver(event);
      await bus.deliver(event);
      assert.deepEqual(await creditsOf(wallet), [300n]);
    });

    it('keeps each consumer its own inbox: one consumer having applied an event does not stop another', async () => {
      const bus = new RedeliveringBus();
      await transactionalConsumer('wallet-projection-one', bus);
      await transactionalConsumer('wallet-projection-two', bus);
      const wallet = randomUUID();
      await bus.deliver(credit(wallet, '5'));
      assert.deepEqual(await creditsOf(wallet), [5n, 5n]);
    });

    /** A standalone consumer on a new bus that notes the ids of the events it applied. */
    async function standaloneConsumer(name: string) {
      const bus = new RedeliveringBus();
      const applied: string[] = [];
      await consumeEvents({ bus, db: database.db, logger: silentLogger }, { name, events: [CreditApplied], transactional: false, apply: async (events) => void applied.push(...events.map((event) => event.id)) });
      return { bus, applied };
    }

    it('applies an event delivered twice once (standalone consumer)', async () => {
      const { bus, applied } = await standaloneConsumer('wallet-notifier');
      const event = credit(randomUUID(), '1');
      await bus.deliver(event);
      await bus.deliver(event);
      assert.deepEqual(applied, [event.id]);
    });

    it('takes a batch through the inbox: events it has seen and repeats within the batch are dropped, the rest applied in order and recorded', async () => {
      const { bus, applied } = await standaloneConsumer('wallet-batch-notifier');
      const first = credit(randomUUID(), '1');
      const second = credit(randomUUID(), '2');
      const third = credit(randomUUID(), '3');
      await bus.deliver(first);
      await bus.deliver(first, second, second, third);
      assert.deepEqual(applied, [first.id, second.id, third.id]);
      await bus.deliver(third, second);
      assert.deepEqual(applied, [first.id, second.id, third.id]);
    });

    it('passes by an event whose payload breaks its declared contract, without applying or recording it', async () => {
      const { bus, applied } = await standaloneConsumer('wallet-strict');
      const broken = { ...credit(randomUUID(), '1'), payload: { amountMinor: 1 } };
      await bus.deliver(broken);
      assert.deepEqual(applied, []);
      assert.equal(await database.db.selectFrom('processed_events').select('event_id').where('event_id', '=', broken.id).executeTakeFirst(), undefined);
    });
  });
}
