import { inSpan, SpanKind } from '../tracing/index.ts';
import { connect, nanos, headers, type NatsConnection } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { redeliveryDelayMs, type Bus, type BusEvent, type EventHandler, type SubscribeOptions, type Subscription } from './bus.port.ts';

export interface NatsBusOptions {
  /** Subject prefix and stream name root; lets several deployments (or tests) share a server. */
  readonly namespace?: string;
  /** How long JetStream remembers event ids for publish de-duplication. */
  readonly duplicateWindowMs?: number;
  readonly requestTimeoutMs?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * NATS JetStream bus. Events are stored in one stream (`<NAMESPACE>_EVENTS`) with subjects
 * `<namespace>.>`; the event id is sent as `Nats-Msg-Id`, so a re-published event inside the
 * duplicate window is dropped by the server. Durable pull consumers with explicit acks give
 * at-least-once delivery shared across processes.
 */
export class NatsBus implements Bus {
  readonly kind = 'nats' as const;
  private readonly stream: string;
  private readonly prefix: string;
  private streamReady: Promise<void> | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: Required<NatsBusOptions>,
  ) {
    this.prefix = options.namespace;
    this.stream = `${options.namespace.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_EVENTS`;
  }

  static async connect(url: string, options: NatsBusOptions = {}): Promise<NatsBus> {
    const resolved: Required<NatsBusOptions> = {
      namespace: options.namespace ?? 'portico',
      duplicateWindowMs: options.duplicateWindowMs ?? 10 * 60_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 3000,
    };
    const parsed = new URL(url);
    const nc = await connect({
      servers: `${parsed.hostname}:${parsed.port || '4222'}`,
      ...(parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : {}),
      ...(parsed.protocol === 'tls:' ? { tls: {} } : {}),
      name: 'portico',
      // Start even when NATS is down; readiness reports it and the outbox holds events meanwhile.
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: resolved.requestTimeoutMs,
      // No stack captured at every request for a timeout that seldom comes: two Error objects per
      // publish were a fifth of a busy relay's CPU. A timeout still names its subject.
      noAsyncTraces: true,
    });
    const jsm = await jetstreamManager(nc, { timeout: resolved.requestTimeoutMs, checkAPI: false });
    const js = jetstream(nc, { timeout: resolved.requestTimeoutMs });
    return new NatsBus(nc, js, jsm, resolved);
  }

  private ensureStream(): Promise<void> {
    this.streamReady ??= (async () => {
      const config = {
        name: this.stream,
        subjects: [`${this.prefix}.>`],
        duplicate_window: nanos(this.options.duplicateWindowMs),
      };
      try {
        await this.jsm.streams.info(this.stream);
        await this.jsm.streams.update(this.stream, { subjects: config.subjects, duplicate_window: config.duplicate_window });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await this.jsm.streams.add(config);
      }
    })().catch((error: unknown) => {
      this.streamReady = undefined;
      throw error;
    });
    return this.streamReady;
  }

  async publish(event: BusEvent): Promise<void> {
    await this.ensureStream();
    const subject = `${this.prefix}.${event.subject}`;
    const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': event.id, ...(event.correlationId ? { 'fapi.interaction_id': event.correlationId } : {}) };
    await inSpan('bus publish', attributes, async () => {
      const h = headers();
      h.set('Nats-Msg-Id', event.id);
      await this.js.publish(subject, encoder.encode(JSON.stringify(event)), { msgID: event.id, headers: h, timeout: this.options.requestTimeoutMs });
    }, SpanKind.PRODUCER);
  }

  async subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    await this.ensureStream();
    const durable = options.durable.replace(/[^A-Za-z0-9_-]/g, '_');
    const filter = `${this.prefix}.${options.subject}`;
    try {
      await this.jsm.consumers.info(this.stream, durable);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.jsm.consumers.add(this.stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: filter,
        ack_wait: nanos(30_000),
      });
    }
    const consumer = await this.js.consumers.get(this.stream, durable);
    const maxBatch = options.maxBatch ?? 1;
    const messages = await consumer.consume({ max_messages: Math.max(64, maxBatch) });
    // The pump takes deliveries as they come; the worker hands whatever is waiting when it is free
    // (up to maxBatch) to the handler, in order, and acks or naks them together.
    // Deliveries waiting when the subscription stops are left unacknowledged: JetStream hands them
    // out again after the ack wait.
    const waiting: JsMsg[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    const pump = (async () => {
      for await (const message of messages) {
        waiting.push(message);
        wake?.();
      }
    })().finally(() => {
      ended = true;
      wake?.();
    });
    const worker = (async () => {
      for (;;) {
        if (ended) return;
        if (waiting.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const batch = waiting.splice(0, maxBatch);
        const events: BusEvent[] = [];
        const delivered: JsMsg[] = [];
        for (const message of batch) {
          try {
            events.push(JSON.parse(decoder.decode(message.data)) as BusEvent);
            delivered.push(message);
          } catch {
            message.term();
          }
        }
        if (events.length === 0) continue;
        try {
          await handler(events);
          for (const message of delivered) message.ack();
        } catch {
          for (const message of delivered) message.nak(redeliveryDelayMs(message.info.deliveryCount, 500));
        }
      }
    })();
    return {
      stop: async () => {
        ended = true;
        wake?.();
        await messages.close();
        await pump;
        await worker;
      },
    };
  }

  async ping(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('NATS connection closed');
    await this.nc.rtt();
    await this.ensureStream();
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || e?.api_error?.err_code === 10014 || /not found/i.test(e?.message ?? '');
}
