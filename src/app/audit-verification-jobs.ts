import type { Logger } from 'pino';
import { SCHEDULED_VERIFICATION, type AuditApi, type VerificationRun } from '../modules/audit/index.ts';
import type { RecurringJob } from '../platform/scheduler/index.ts';
import { utcDayOf } from '../platform/calendar/index.ts';

const DAY_MS = 86_400_000;

/** How many days before the one just ended the daily verification looks back for records written late. */
export const LATE_RECORDS_LOOKBACK_DAYS = 7;

/**
 * The daily verification (AUDIT_DAILY_VERIFICATION), as a recurring job of the workers: at each
 * UTC midnight it asks for the day that has just ended to be verified. The run's id is the day's,
 * so a run of this job repeated stores one verification. Records can be written into a day after
 * its midnight (an event consumer catching up after an outage writes each record into the day it
 * happened): each of the seven days before that a run proved intact, and that has records beyond
 * what was proved, is verified again, under an id naming its records now (asked for once however
 * often the job runs, and again only if the day grows again).
 */
export function dailyAuditVerificationJob(audit: Pick<AuditApi, 'requestVerification' | 'daysGrownSinceVerified'>, logger: Logger): RecurringJob {
  return {
    kind: 'audit.verify-daily',
    everyMs: DAY_MS,
    async run(now) {
      const day = utcDayOf(now.getTime() - DAY_MS);
      const id = await audit.requestVerification({ from: day, to: day }, SCHEDULED_VERIFICATION, `daily-${day}`);
      logger.info({ verificationId: id, day }, `verification of the audit trail of ${day} asked for`);
      const lookback = { from: utcDayOf(now.getTime() - (LATE_RECORDS_LOOKBACK_DAYS + 1) * DAY_MS), to: utcDayOf(now.getTime() - 2 * DAY_MS) };
      for (const grown of await audit.daysGrownSinceVerified(lookback)) {
        const again = await audit.requestVerification({ from: grown.day, to: grown.day }, SCHEDULED_VERIFICATION, `daily-${grown.day}-to-${grown.records}`);
        logger.info({ verificationId: again, day: grown.day, records: grown.records.toString() }, `records were written into ${grown.day} after it was verified: verifying it again`);
      }
    },
  };
}

/** A finished verification run, for the one on call: a broken chain or a failed run is an alert. */
export function reportVerification(logger: Logger, run: VerificationRun): void {
  const context = { verificationId: run.id, from: run.from, to: run.to, requestedBy: run.requestedBy, records: run.records, days: run.daysDone };
  if (run.status === 'broken') {
    const found = run.firstBreak;
    logger.error({ alert: 'audit-chain-broken', ...context, firstBreak: found && { ...found, seq: found.seq.toString() } }, `the audit trail does not verify: ${found?.kind ?? 'break'} in ${found?.partition ?? '?'} at record ${found?.seq.toString() ?? '?'}`);
  } else if (run.status === 'failed') {
    logger.error({ alert: 'audit-verification-failed', ...context, error: run.error }, `a verification of the audit trail could not be completed: ${run.error ?? 'unknown error'}`);
  } else {
    logger.info(context, `the audit trail verifies: ${run.records} records over ${run.daysDone} day(s)`);
  }
}
