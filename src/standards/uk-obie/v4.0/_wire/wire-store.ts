import type { AlongsideWrite } from '../../../../modules/idempotency/index.ts';
import type { ObWireTables } from './infra/ob-wire.tables.ts';

export type { ObWireTables };

/** The resources an OB request body is kept for. */
export type ObWireResource = 'consent' | 'payment' | 'standing-order' | 'file-payment';

/** An OB request body as received (after schema validation), kept only to be echoed. */
export type ObWireBody = Record<string, unknown>;

/** What a module's creating use case is given of an OB request: its hash, and the keeping of its body. */
export interface ObReceivedRequest {
  readonly requestHash: string;
  readonly alongside: AlongsideWrite;
  /** The body kept: what a response to this request echoes. */
  readonly body: ObWireBody;
}

/**
 * The OB v4.0 facade's store of the request bodies it echoes (decision 0005g). The modules keep
 * the neutral model only; a response is mapped from it and the body kept here.
 */
export interface ObWireStore {
  /**
   * The request as a module's creating use case takes it: the body's hash (idempotency) and the
   * write keeping the body, which the use case runs in the transaction creating the resource.
   */
  received(resource: ObWireResource, body: unknown, now: Date): ObReceivedRequest;
  /** The write keeping `body` for the resource it creates, for a use case that is not idempotent. */
  keep(resource: ObWireResource, body: unknown, now: Date): AlongsideWrite;
  /** The body kept for a resource; undefined when none was (another resource's id, or none created). */
  find(resource: ObWireResource, id: string): Promise<ObWireBody | undefined>;
}

/** A resource of the neutral model with the OB body it was created by, as a response echoes it. */
export type Wired<T> = T & { readonly wire: ObWireBody };

async function bodyOf(store: ObWireStore, resource: ObWireResource, id: string): Promise<ObWireBody> {
  const body = await store.find(resource, id);
  if (!body) throw new Error(`no OB request body is kept for ${resource} ${id}`);
  return body;
}

/** `value` (a resource just read or created) with its kept body. */
export async function withWire<T extends { readonly id: string }>(store: ObWireStore, resource: ObWireResource, value: T): Promise<Wired<T>> {
  return { ...value, wire: await bodyOf(store, resource, value.id) };
}

/**
 * `value`, the resource the request `received` created (or, for a repeat of it, found: same hash,
 * same body), with that request's body, as it is kept: nothing is read back.
 */
export function wiredAsReceived<T>(received: ObReceivedRequest, value: T): Wired<T> {
  return { ...value, wire: received.body };
}

/**
 * The resource `id` as `read` finds it, with its kept body, both read at once: a read the module
 * refuses (unknown, another TPP's) fails as the module says, and the body is not waited for.
 */
export async function readWired<T>(store: ObWireStore, resource: ObWireResource, id: string, read: Promise<T>): Promise<Wired<T>> {
  const [value, wire] = await Promise.all([read, store.find(resource, id)]);
  if (!wire) throw new Error(`no OB request body is kept for ${resource} ${id}`);
  return { ...value, wire };
}
