import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { accessScopeOf } from './access-scope-of.ts';
import type { Consent } from './consent-model.ts';
import { ConsentErrors } from './consents.errors.ts';
import { utcDayOf } from '../../platform/calendar/index.ts';

/** A day's counts outlive the day by one, so a clock a little ahead at another instance still counts in the right one. */
const COUNT_TTL_SECONDS = 2 * 24 * 60 * 60;

/**
 * Counts one read of `resource` on `accountId` made without the PSU taking part, in the shared
 * cache (every instance counts together), per UTC day; refuses it once the consent's
 * `unattendedPerDay` is used up — or, for a scope that sets none (OB consents), `defaultPerDay`, the
 * facade's figure (OB v4.0 AIS: 4). With neither, it is never refused. The refusal says when the
 * count starts again: the next UTC day.
 */
export async function countUnattendedAccess(cache: Cache, consent: Consent, accountId: string, resource: string, now: Date, defaultPerDay?: number): Promise<void> {
  const limit = accessScopeOf(consent).unattendedPerDay ?? defaultPerDay;
  if (limit === undefined) return;
  const day = utcDayOf(now);
  const count = await cache.increment(`consents:unattended:${consent.id}:${day}:${accountId}:${resource}`, COUNT_TTL_SECONDS);
  if (count > limit) {
    const nextDay = Date.parse(`${day}T00:00:00.000Z`) + 24 * 60 * 60 * 1000;
    throw new AppError(ConsentErrors.UNATTENDED_ACCESS_EXCEEDED, { retryAfterSeconds: (nextDay - now.getTime()) / 1000 });
  }
}
