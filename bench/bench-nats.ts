import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** Deletes the JetStream streams of the bus namespaces a bench run used (NatsBus names each `<NAMESPACE>_EVENTS`), so runs leave no gigabytes behind. */
export async function deleteBenchStreams(natsUrl: string, namespaces: readonly string[]): Promise<void> {
  const url = new URL(natsUrl);
  const nc = await connect({ servers: `${url.hostname}:${url.port || '4222'}` });
  try {
    const jsm = await jetstreamManager(nc);
    for (const namespace of namespaces) await jsm.streams.delete(`${namespace.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_EVENTS`).catch(() => false);
  } finally {
    await nc.close();
  }
}
