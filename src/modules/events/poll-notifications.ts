import { setTimeout as sleep } from 'node:timers/promises';
import type { PollRequest, PollResult } from './events-model.ts';
import type { EventsRepository } from './events.repository.port.ts';

export interface PollOptions {
  /** The longest a poll that asked not to return immediately waits for a notification. */
  readonly longPollMs: number;
  /** How often a waiting poll looks again. */
  readonly recheckMs: number;
  /** Ends the wait early (the TPP went away). */
  readonly signal?: AbortSignal | undefined;
  readonly now: () => Date;
}

/**
 * Aggregated polling (RFC 8936 §2.4): settles the TPP's acknowledgements and errors first, then
 * answers with up to `maxEvents` of its waiting notifications, oldest first, and whether more are
 * waiting. A notification stays waiting until acknowledged (or refused) or past retention, so one
 * answered but never acknowledged comes again. When nothing waits and the TPP asked for a long
 * poll, it waits up to `longPollMs` for something to arrive. Only the TPP's own notifications are
 * ever read or changed.
 */
export async function pollNotifications(repository: EventsRepository, clientId: string, request: PollRequest, options: PollOptions): Promise<PollResult> {
  const refused = request.errors.map(({ id, error, description }) => ({ id, error: `${error}: ${description}` }));
  await repository.settle(clientId, request.ack, refused, options.now());
  if (request.maxEvents === 0) return { notifications: [], moreAvailable: false };
  const deadline = Date.now() + (request.returnImmediately ? 0 : options.longPollMs);
  for (;;) {
    const found = await repository.waiting(clientId, request.maxEvents + 1, options.now());
    if (found.length > 0 || Date.now() >= deadline || options.signal?.aborted) {
      return { notifications: found.slice(0, request.maxEvents), moreAvailable: found.length > request.maxEvents };
    }
    await sleep(Math.min(options.recheckMs, Math.max(0, deadline - Date.now())), undefined, { signal: options.signal }).catch(() => undefined);
  }
}
