import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { MemoryBus } from '../../src/platform/bus/index.ts';
import { createDatabase } from '../../src/platform/db/index.ts';
import { consumeEvents, ConsumerMetrics, defineEvent, recordEvent } from '../../src/platform/events/index.ts';
import { OutboxMetrics, OutboxRelay } from '../../src/platform/outbox/index.ts';
import { registerJobMetrics, scheduleJob } from '../../src/platform/scheduler/index.ts';
import { DIALECTS, openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { waitFor } from '../support/wait-for.ts';

const Measured = defineEvent({ type: 'Measured', version: 1, aggregateType: 'measured', payload: z.object({ n: z.number() }) });

/** The value of a metric without labels in a Prometheus text exposition. */
function valueOf(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} is exposed`);
  return Number(line.slice(name.length + 1));
}

for (const dialect of DIALECTS) {
  describe(`backlog metrics: the outbox and the durable jobs (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(dialect);
    });
    after(async () => {
      await database?.close();
    });

    it('expose the events waiting to be published and the oldest one\'s age, then what the relay published and how late', async () => {
      const registry = new Registry();
      const metrics = new OutboxMetrics();
      metrics.register(registry, database.db);
      const tenSecondsAgo = new Date(Date.now() - 10_000);
      for (let n = 0; n < 3; n++) await recordEvent(database.db, Measured, { aggregateId: randomUUID(), tppClientId: null, payload: { n }, occurredAt: tenSecondsAgo });
      const before = await registry.metrics();
      assert.equal(valueOf(before, 'portico_outbox_unpublished_events'), 3);
      assert.ok(valueOf(before, 'portico_outbox_oldest_unpublished_age_seconds') >= 10);

      const bus = new MemoryBus();
      try {
        const relay = new OutboxRelay(database.db, bus, silentLogger, { pollMs: 1000, observer: metrics.observer });
        assert.equal(await relay.relayOnce(), 3);
      } finally {
        await bus.close();
      }
      // A second later: the scrape reads the backlog again.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const after = await registry.metrics();
      assert.equal(valueOf(after, 'portico_outbox_unpublished_events'), 0);
      assert.equal(valueOf(after, 'portico_outbox_oldest_unpublished_age_seconds'), 0);
      assert.equal(valueOf(after, 'portico_outbox_published_events_total'), 3);
      assert.equal(valueOf(after, 'portico_outbox_publish_failures_total'), 0);
      assert.equal(valueOf(after, 'portico_outbox_publish_lag_seconds_count'), 3);
      assert.ok(valueOf(after, 'portico_outbox_publish_lag_seconds_sum') >= 30, 'each published about ten seconds after it occurred');
    });

    it('expose the jobs due and unclaimed, how long the oldest has waited, and the jobs running', async () => {
      const registry = new Registry();
      registerJobMetrics(registry, database.db);
      const kind = uniqueName('metered');
      const now = new Date();
      await scheduleJob(database.db, { kind, dedupeKey: `${kind}:late`, runAt: new Date(now.getTime() - 60_000), payload: {} }, now);
      await scheduleJob(database.db, { kind, dedupeKey: `${kind}:due`, runAt: new Date(now.getTime() - 1000), payload: {} }, now);
      await scheduleJob(database.db, { kind, dedupeKey: `${kind}:later`, runAt: new Date(now.getTime() + 3_600_000), payload: {} }, now);
      await database.db.updateTable('scheduled_jobs').set({ status: 'running', attempts: 1, locked_by: 'w', locked_until: new Date(now.getTime() + 60_000) }).where('dedupe_key', '=', `${kind}:due`).execute();
      const text = await registry.metrics();
      assert.equal(valueOf(text, 'portico_jobs_due'), 1);
      assert.ok(valueOf(text, 'portico_jobs_oldest_due_age_seconds') >= 60);
      assert.equal(valueOf(text, 'portico_jobs_running'), 1);
    });
  });
}

describe('backlog metrics while the database cannot be reached', () => {
  it('answer the scrape, each figure NaN (unknown) rather than an error or a false zero', async () => {
    const unreachable = await createDatabase({ url: 'postgres://postgres@127.0.0.1:9/nothing', poolSize: 1 });
    try {
      const registry = new Registry();
      new OutboxMetrics().register(registry, unreachable.db);
      registerJobMetrics(registry, unreachable.db);
      const text = await registry.metrics();
      for (const name of ['portico_outbox_unpublished_events', 'portico_outbox_oldest_unpublished_age_seconds', 'portico_jobs_due', 'portico_jobs_oldest_due_age_seconds', 'portico_jobs_running']) {
        assert.ok(Number.isNaN(valueOf(text, name)), `${name} is NaN`);
      }
    } finally {
      await unreachable.close();
    }
  });
});

describe('consumer metrics (postgres)', () => {
  it('count the events each consumer handled and the deliveries it failed, with the lag from commit', async () => {
    const database = await openTestDatabase('postgres');
    const bus = new MemoryBus(20);
    try {
      const registry = new Registry();
      const metrics = new ConsumerMetrics();
      metrics.register(registry);
      let failOnce = true;
      const seen: number[] = [];
      const subscription = await consumeEvents(
        { bus, db: database.db, logger: silentLogger, observer: metrics.observer },
        {
          name: uniqueName('metered-consumer'),
          events: [Measured],
          transactional: false,
          async apply(events) {
            if (failOnce) {
              failOnce = false;
              throw new Error('the first delivery fails');
            }
            seen.push(...events.map((event) => (event.payload as { n: number }).n));
          },
        },
      );
      try {
        const relay = new OutboxRelay(database.db, bus, silentLogger, { pollMs: 1000 });
        for (let n = 0; n < 2; n++) await recordEvent(database.db, Measured, { aggregateId: randomUUID(), tppClientId: null, payload: { n } });
        await relay.relayOnce();
        await waitFor(() => seen.length === 2, 'both events applied after the failed delivery');
        // Counted once the batch is recorded in the inbox, a moment after it was applied.
        let text = '';
        const labelled = (name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name}{consumer=`))?.split(' ')[1]);
        await waitFor(async () => {
          text = await registry.metrics();
          return labelled('portico_events_consumed_total') === 2;
        }, 'both events counted');
        assert.ok(labelled('portico_events_consumer_failures_total') >= 1);
        assert.equal(labelled('portico_events_consume_lag_seconds_count'), 2);
      } finally {
        await subscription.stop();
      }
    } finally {
      await bus.close();
      await database.close();
    }
  });
});
