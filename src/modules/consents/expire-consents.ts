import { txContextOf, type TxContext } from '../../platform/db/index.ts';
import { nextSingletonRun, scheduleJob, singletonRunAt, type NewJob, type TransactionalJobHandler } from '../../platform/scheduler/index.ts';
import { recordConsentStatusChanged } from './consent-events.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';

/** The recurring job that records consent expiries. */
export const EXPIRE_CONSENTS_JOB = 'consents.expire';

/** How often expiries are recorded: a consent reads as Expired from its expiry on anyway (`consentAsOf`). */
export const CONSENT_EXPIRY_INTERVAL_MS = 60_000;

/** Consents one run expires at most; the rest wait for the next run, which is due at once. */
const BATCH = 500;

/**
 * Records the expiry of authorised consents whose expiry has passed: their stored status becomes
 * Expired, as of their expiry (which is what they already read as), with a ConsentStatusChanged
 * event each. `FOR UPDATE SKIP LOCKED` leaves a consent being used or revoked right now to the
 * next run. Returns the ids expired.
 */
export async function expireConsents(repository: ConsentsRepository, tx: TxContext, now: Date): Promise<string[]> {
  const expired = await repository.expireDue(tx, now, BATCH);
  for (const consent of expired) await recordConsentStatusChanged(tx, { id: consent.id, clientId: consent.clientId, status: 'expired' }, consent.expiredAt);
  return expired.map((consent) => consent.id);
}

const expiryRuns = (intervalMs: number) => ({ kind: EXPIRE_CONSENTS_JOB, everyMs: intervalMs });

/**
 * The run of the expiry job for the interval `runAt` falls in. Its dedupe key names the interval,
 * so however many processes schedule it, each interval has one run.
 */
export function consentExpiryJob(runAt: Date, intervalMs = CONSENT_EXPIRY_INTERVAL_MS): NewJob<Record<string, never>> {
  return singletonRunAt(expiryRuns(intervalMs), runAt);
}

/**
 * The handler of EXPIRE_CONSENTS_JOB: expires what is due and schedules the next run in the same
 * transaction, so the chain of runs never breaks on a crash; a full batch runs again at once.
 */
export function consentExpiry(repository: ConsentsRepository, intervalMs = CONSENT_EXPIRY_INTERVAL_MS): TransactionalJobHandler<Record<string, never>> {
  return {
    transactional: true,
    async run(job, trx) {
      // Never ahead of the wall clock, which reads compare expiries with (a scheduler run for a
      // later time, as tests do, must not record an expiry that reads have not reached yet).
      const expired = await expireConsents(repository, txContextOf(trx), new Date(Math.min(job.claimedAt.getTime(), Date.now())));
      // A full batch leaves more due: the follow-up runs at once, keyed to this run, in its interval.
      const next =
        expired.length === BATCH
          ? { ...consentExpiryJob(job.runAt, intervalMs), dedupeKey: `consents-expire:after:${job.id}` }
          : nextSingletonRun(expiryRuns(intervalMs), job);
      await scheduleJob(trx, next, job.claimedAt);
    },
  };
}

/** Starts the chain of runs (at start-up; a no-op where this interval's run exists). */
export async function scheduleConsentExpiry(db: Parameters<typeof scheduleJob>[0], now: Date = new Date(), intervalMs = CONSENT_EXPIRY_INTERVAL_MS): Promise<void> {
  await scheduleJob(db, consentExpiryJob(now, intervalMs), now);
}
