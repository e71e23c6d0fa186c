import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { TEST_NATS_URL } from './backends.ts';

/** Deletes the JetStream streams a test created (named after its bus namespace). */
export async function deleteTestStreams(...namespaces: string[]): Promise<void> {
  const url = new URL(TEST_NATS_URL);
  const nc = await connect({ servers: `${url.hostname}:${url.port || '4222'}` });
  try {
    const jsm = await jetstreamManager(nc);
    for (const namespace of namespaces) {
      const stream = `${namespace.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_EVENTS`;
      await jsm.streams.delete(stream).catch(() => false);
    }
  } finally {
    await nc.close();
  }
}
