import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { accessScopeOf } from './access-scope-of.ts';
import type { Consent } from './consent-model.ts';
import { ConsentErrors } from './consents.errors.ts';

/** A day's counts outlive the day by one, so a clock a little ahead at another instance still counts in the right one. */
const COUNT_TTL_SECONDS = 2 * 24 * 60 * 60;

/**
 * Counts one read of `resource` on `accountId` made without the PSU taking part, in the shared
 * cache (every instance counts together), per UTC day; refuses it once the consent's
 * `unattendedPerDay` is used up. A consent whose scope sets no limit is never refused.
 */
export async function countUnattendedAccess(cache: Cache, consent: Consent, accountId: string, resource: string, now: Date): Promise<void> {
  const limit = accessScopeOf(consent).unattendedPerDay;
  if (limit === undefined) return;
  const day = now.toISOString().slice(0, 10);
  const count = await cache.increment(`consents:unattended:${consent.id}:${day}:${accountId}:${resource}`, COUNT_TTL_SECONDS);
  if (count > limit) throw new AppError(ConsentErrors.UNATTENDED_ACCESS_EXCEEDED);
}
