import type { Subscription } from '../../platform/bus/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import { consumeEvents, isEventOf, type ConsumerDeps } from '../../platform/events/index.ts';
import { forgetConsents } from './consent-cache.ts';
import { ConsentStatusChangedV1, ConsentStatusChangedV2 } from './consent-events.ts';

/** The statuses, in both versions' words, a consent has before it is authorised: nothing of it is cached yet. */
const NOT_YET_AUTHORISED = new Set(['awaiting-upload', 'awaiting-authorisation', 'authorised', 'AwaitingUpload', 'AwaitingAuthorisation', 'Authorised']);

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
      const ended = events.filter((event) => {
        const status = isEventOf(ConsentStatusChangedV2, event) || isEventOf(ConsentStatusChangedV1, event) ? event.payload.status : undefined;
        return status !== undefined && !NOT_YET_AUTHORISED.has(status);
      });
      await forgetConsents(cache, [...new Set(ended.map((event) => event.aggregate.id))]);
    },
  });
}
