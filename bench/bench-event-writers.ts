/**
 * bench:events (a), the writers: a child process committing transactions of domain events into the
 * outbox as fast as it can, as the API processes of a deployment do, while the relay publishes in
 * the parent (a worker's job). Told `{ url, writers, eventsPerTransaction, seconds }` over IPC;
 * answers `{ started }` and then `{ committed, seconds }`.
 */
import { randomUUID } from 'node:crypto';
import { createDatabase } from '../src/platform/db/index.ts';
import { recordEvents } from '../src/platform/events/index.ts';
import { BenchHappened, benchPayload } from './bench-events.ts';

interface Order {
  readonly url: string;
  readonly writers: number;
  readonly eventsPerTransaction: number;
  readonly seconds: number;
}

process.once('message', (order: Order) => {
  void write(order).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});

async function write(order: Order): Promise<{ committed: number; seconds: number }> {
  const database = await createDatabase({ url: order.url, poolSize: order.writers });
  const commit = () =>
    recordEvents(
      database.db,
      BenchHappened,
      Array.from({ length: order.eventsPerTransaction }, () => ({ aggregateId: randomUUID(), tppClientId: 'bench-client', payload: benchPayload() })),
    );
  await commit();
  let committed = 0;
  process.send!({ started: true });
  const started = process.hrtime.bigint();
  const deadline = Date.now() + order.seconds * 1000;
  await Promise.all(
    Array.from({ length: order.writers }, async () => {
      while (Date.now() < deadline) {
        await commit();
        committed += order.eventsPerTransaction;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await database.close();
  return { committed, seconds };
}
