import type { AlongsideWrite } from '../../../../modules/idempotency/index.ts';

/** The resources an XS2A request body is kept for. */
export type Xs2aWireResource = 'consent' | 'payment';

export type Xs2aWireBody = Record<string, unknown>;

/**
 * The XS2A facade's store of the request bodies its responses echo (a consent's `access` as the
 * TPP sent it, a payment's initiation); the modules keep the neutral model only (decision 0005g).
 */
export interface Xs2aWireStore {
  /** The write keeping `body`, run in the transaction that creates the resource. */
  keep(resource: Xs2aWireResource, body: Xs2aWireBody, now: Date): AlongsideWrite;
  find(resource: Xs2aWireResource, id: string): Promise<Xs2aWireBody | undefined>;
}
