import type { Subscription } from '../../platform/bus/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import { consumeEvents, isEventOf, type ConsumerDeps } from '../../platform/events/index.ts';
import { forgetConsents } from './consent-cache.ts';
import { ConsentStatusChangedV1, ConsentStatusChangedV2 } from './consent-events.ts';

/** The statuses a consent leaves Authorised for (or is never authorised): version 2's words, then version 1's. */
const ENDED = new Set(['rejected', 'revoked', 'expired', 'consumed']);
const ENDED_V1 = new Set(['Rejected', 'Revoked', 'Expired', 'Consumed']);

/**
 * Retires the cached copies of every consent that leaves Authorised (revoked, rejected, expired,
 * consumed) once its change is published, at least once: a revocation retires them itself after
 * its commit, but that retirement fails if the shared cache drops at that moment, and this one is
 * retried until the cache answers again. One durable consumer shared by all instances; retiring a
 * consent's copies twice is harmless.
 */
export async function retireCachedConsents(deps: ConsumerDeps & { readonly cache: Cache }): Promise<Subscription> {
  const { cache, ...consumer } = deps;
  return consumeEvents(consumer, {
    name: 'consents-retire-cached-copies',
    events: [ConsentStatusChangedV2, ConsentStatusChangedV1],
    transactional: false,
    async apply(events) {
      const ended = events.filter(
        (event) =>
          (isEventOf(ConsentStatusChangedV2, event) && ENDED.has(event.payload.status)) ||
          // Recorded before version 2, in its status words.
          (isEventOf(ConsentStatusChangedV1, event) && ENDED_V1.has(event.payload.status)),
      );
      await forgetConsents(cache, [...new Set(ended.map((event) => event.aggregate.id))]);
    },
  });
}
