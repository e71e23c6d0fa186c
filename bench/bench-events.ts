import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineEvent } from '../src/platform/events/index.ts';

/** The domain event bench:events commits: the size of a payment's status change. */
export const BenchHappened = defineEvent({
  type: 'BenchHappened',
  version: 1,
  aggregateType: 'bench',
  payload: z.object({ paymentId: z.string(), consentId: z.string(), status: z.string() }),
});

export const benchPayload = () => ({ paymentId: randomUUID(), consentId: `pdc-${randomUUID()}`, status: 'settled' });

/** Deletes the JetStream stream a bench run's bus namespace created, so runs leave no gigabytes behind. */
export async function deleteBenchStream(natsUrl: string, namespace: string): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const url = new URL(natsUrl);
  const nc = await connect({ servers: `${url.hostname}:${url.port || '4222'}` });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(`${namespace.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_EVENTS`).catch(() => false);
  } finally {
    await nc.close();
  }
}
