/**
 * bench:events — the event backbone on PostgreSQL + NATS JetStream.
 *
 * (a) Events raised per second from committed transactions through the outbox to JetStream:
 *     writers in a child process (as API processes) commit transactions of domain events (50 per
 *     transaction, each of its own aggregate, as a group of payments records them) while the outbox
 *     relay publishes them here (as a worker); the figure is the
 *     relay's publication rate over the window, against raw JetStream publishes of messages of the
 *     same size in the same run (ratio). Also the rate at which the relay drains a backlog alone.
 * (b) TPP notifications signed and delivered per second, and commit-to-receipt latency at a fixed
 *     rate (BENCH_RATE, default 1000/s): see events-push-phase.ts.
 *
 * BENCH_SECONDS sets each phase's length (default 10); BENCH_PART=a or b runs one part.
 */
import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import path from 'node:path';
import { NatsBus, type BusEvent } from '../src/platform/bus/index.ts';
import { recordEvents } from '../src/platform/events/index.ts';
import { BenchHappened, benchPayload } from './bench-events.ts';
import { deleteBenchStreams } from './bench-nats.ts';
import { OutboxRelay } from '../src/platform/outbox/index.ts';
import { createLogger } from '../src/platform/logger/index.ts';
import { openBenchDatabase, BENCH_DATABASE_URL } from './bench-database.ts';
import { measurePushes } from './events-push-phase.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const WRITERS = 2;
const EVENTS_PER_TRANSACTION = 50;
const BACKLOG = 50_000;
const RATE = Number(process.env['BENCH_RATE'] ?? 1000);
const PART = process.env['BENCH_PART'];

const payload = benchPayload;

const database = await openBenchDatabase(WRITERS + 2);
const namespace = `bench_events_${randomUUID().slice(0, 8)}`;
const bus = await NatsBus.connect(NATS_URL, { namespace });
const logger = createLogger('warn');
try {
  if (PART !== 'b') await partA();
  if (PART !== 'a') {
    console.log(`bench:events (b) on PostgreSQL ${new URL(BENCH_DATABASE_URL).host} + NATS JetStream ${new URL(NATS_URL).host}, receiver in a child process`);
    const b = await measurePushes({ db: database.db, bus, logger, seconds: SECONDS, rate: RATE });
    console.log(
      `notifications signed and delivered: ${b.deliveriesPerSecond.toFixed(0)}/s (target at least 2,000/s); raw POSTs ${b.rawPostsPerSecond.toFixed(0)}/s; ratio ${b.ratio.toFixed(2)}; at ${b.rate}/s commit → receipt p50 ${b.p50Ms.toFixed(0)} ms, p99 ${b.p99Ms.toFixed(0)} ms (target p99 under 1 s)`,
    );
    console.log(JSON.stringify({ bench: 'events', part: 'b', rawPostsPerSecond: Math.round(b.rawPostsPerSecond), deliveriesPerSecond: Math.round(b.deliveriesPerSecond), ratio: Number(b.ratio.toFixed(3)), rate: b.rate, p50Ms: Math.round(b.p50Ms), p99Ms: Math.round(b.p99Ms), delivered: b.delivered }));
  }
} finally {
  await bus.close();
  await database.close();
  await deleteBenchStreams(NATS_URL, [namespace]);
}

async function partA(): Promise<void> {
  console.log(`bench:events (a) on PostgreSQL ${new URL(BENCH_DATABASE_URL).host} + NATS JetStream ${new URL(NATS_URL).host}, ${SECONDS}s per phase`);

  // The raw baseline: JetStream publishes of messages the size of an outbox event, as many in flight as the relay may have.
  const sample: BusEvent = {
    id: randomUUID(),
    subject: `bench.${randomUUID()}.BenchHappened.v1`,
    occurredAt: new Date().toISOString(),
    payload: payload(),
    type: 'BenchHappened',
    version: 1,
    aggregate: { type: 'bench', id: randomUUID(), version: 1 },
    tppClientId: 'bench-client',
    correlationId: randomUUID(),
  };
  await bus.publish(sample);
  process.stdout.write('baseline: raw JetStream publishes (256 in flight) … ');
  let raw = 0;
  const rawDeadline = Date.now() + SECONDS * 1000;
  const rawStarted = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 256 }, async () => {
      while (Date.now() < rawDeadline) {
        await bus.publish({ ...sample, id: randomUUID(), aggregate: { type: 'bench', id: randomUUID(), version: 1 } });
        raw += 1;
      }
    }),
  );
  const rawPerSecond = raw / (Number(process.hrtime.bigint() - rawStarted) / 1e9);
  console.log(`${rawPerSecond.toFixed(0)}/s`);

  const commit = () =>
    recordEvents(
      database.db,
      BenchHappened,
      Array.from({ length: EVENTS_PER_TRANSACTION }, () => ({ aggregateId: randomUUID(), tppClientId: 'bench-client', payload: payload() })),
    );

  // Drain: a backlog committed first, then the relay alone.
  process.stdout.write(`relay draining a backlog of ${BACKLOG} events … `);
  for (let i = 0; i < BACKLOG / EVENTS_PER_TRANSACTION; i += 1) await commit();
  let drained = 0;
  const drainRelay = new OutboxRelay(database.db, bus, logger, { pollMs: 5, observer: { published: (occurred) => void (drained += occurred.length), failed: () => undefined } });
  const drainStarted = process.hrtime.bigint();
  drainRelay.start();
  while (drained < BACKLOG) await new Promise((resolve) => setTimeout(resolve, 20));
  const drainPerSecond = drained / (Number(process.hrtime.bigint() - drainStarted) / 1e9);
  await drainRelay.stop();
  console.log(`${drainPerSecond.toFixed(0)}/s`);

  // Live: writers in a child process (API processes, in a deployment) commit as fast as they can
  // while the relay publishes here (a worker's job); the relay's rate over the writers' window is the figure.
  process.stdout.write(`live: ${WRITERS} writers committing ${EVENTS_PER_TRANSACTION} events per transaction while the relay publishes … `);
  let published = 0;
  const relay = new OutboxRelay(database.db, bus, logger, { pollMs: 5, observer: { published: (occurred) => void (published += occurred.length), failed: () => undefined } });
  relay.start();
  const writers = fork(path.join(import.meta.dirname, 'bench-event-writers.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let publishedAtStart = 0;
  const written = new Promise<{ committed: number; seconds: number }>((resolve, reject) => {
    writers.on('message', (message: { started?: true; committed?: number; seconds?: number }) => {
      if (message.started) publishedAtStart = published;
      else resolve(message as { committed: number; seconds: number });
    });
    writers.once('exit', (code) => reject(new Error(`the writers exited with ${code}`)));
  });
  writers.send({ url: database.url, writers: WRITERS, eventsPerTransaction: EVENTS_PER_TRANSACTION, seconds: SECONDS });
  const { committed, seconds: elapsed } = await written;
  const livePublished = published - publishedAtStart;
  await relay.stop();
  const livePerSecond = livePublished / elapsed;
  console.log(`${livePerSecond.toFixed(0)}/s published (${(committed / elapsed).toFixed(0)}/s committed)`);

  const ratio = livePerSecond / rawPerSecond;
  console.log(`events through the outbox to JetStream: ${livePerSecond.toFixed(0)}/s live, ${drainPerSecond.toFixed(0)}/s draining; raw JetStream ${rawPerSecond.toFixed(0)}/s; ratio ${ratio.toFixed(2)} (target: at least 10,000 events/s)`);
  console.log(JSON.stringify({ bench: 'events', part: 'a', rawPublishesPerSecond: Math.round(rawPerSecond), drainPerSecond: Math.round(drainPerSecond), livePublishedPerSecond: Math.round(livePerSecond), liveCommittedPerSecond: Math.round(committed / elapsed), ratio: Number(ratio.toFixed(3)) }));
}
