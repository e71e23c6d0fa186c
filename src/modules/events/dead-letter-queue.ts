import type { Db } from '../../platform/db/index.ts';
import type { NotificationKind, NotifiedResource } from './events-model.ts';
import type { DueNotification, EventsRepository } from './events.repository.port.ts';
import { createKyselyEventsRepository } from './infra/kysely-events-repository.ts';

/** A notification whose push was given up, as the operator sees it. */
export interface DeadLetter {
  readonly id: string;
  readonly clientId: string;
  readonly resource: NotifiedResource;
  readonly kinds: readonly NotificationKind[];
  readonly occurredAt: Date;
  readonly attempts: number;
  readonly lastError: string | null;
  /** Where its TPP has notifications pushed now; null when it no longer does. */
  readonly callbackUrl: string | null;
}

function deadLetterOf(n: DueNotification): DeadLetter {
  return { id: n.id, clientId: n.clientId, resource: n.resource, kinds: n.kinds, occurredAt: n.occurredAt, attempts: n.attempts, lastError: n.lastError, callbackUrl: n.callbackUrl || null };
}

/** The operator's view of the notifications whose pushes were given up: list them, push them again. */
export interface DeadLetterQueue {
  /** Oldest first, at most `limit`; of one TPP when `clientId` is given. */
  list(limit: number, clientId?: string): Promise<DeadLetter[]>;
  /** Back to the push queue, due now and retried for another window: these, or all of them. Returns how many. */
  replay(ids: readonly string[] | 'all', now?: Date): Promise<number>;
}

export function deadLetterQueueOver(repository: EventsRepository, pushRetryMs: number): DeadLetterQueue {
  return {
    list: async (limit, clientId) => (await repository.deadLetters(limit, clientId)).map(deadLetterOf),
    replay: (ids, now = new Date()) => repository.replay(ids, now, new Date(now.getTime() + pushRetryMs)),
  };
}

/** The dead-letter queue on the platform database (`portico events dlq`). */
export function createDeadLetterQueue(deps: { readonly db: Db; readonly pushRetryMs: number }): DeadLetterQueue {
  return deadLetterQueueOver(createKyselyEventsRepository(deps.db), deps.pushRetryMs);
}
