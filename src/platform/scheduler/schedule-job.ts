import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { prepared, type DatabaseSchema } from '../db/index.ts';

export const DEFAULT_MAX_ATTEMPTS = 10;

export interface NewJob<P = unknown> {
  /** Selects the handler, e.g. `payments.standing-order-instalment`. */
  readonly kind: string;
  /**
   * Unique for ever, e.g. `standing-order:{id}:{instalmentNumber}`. Scheduling a key that exists
   * changes nothing, whatever state its job is in: an instalment is scheduled, and run, once.
   */
  readonly dedupeKey: string;
  readonly runAt: Date;
  /** Stored as JSON: no bigint (write money as a decimal string of minor units), no Date. */
  readonly payload: P;
  /** Attempts before the job is `failed`; default 10. */
  readonly maxAttempts?: number;
}

export interface ScheduleResult {
  readonly id: string;
  /** False when the dedupe key was already scheduled; `id` is then the existing job's. */
  readonly created: boolean;
}

/**
 * Schedules a job. Pass the business transaction (the one that stores the standing order or the
 * scheduled payment) so that the job exists if and only if that transaction commits.
 */
export async function scheduleJob<P>(
  db: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>,
  job: NewJob<P>,
  now: Date = new Date(),
): Promise<ScheduleResult> {
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  if (Number.isNaN(job.runAt.getTime())) throw new RangeError('runAt is not a valid date');
  const inserted = await db
    .insertInto('scheduled_jobs')
    .values({
      id: randomUUID(),
      kind: job.kind,
      dedupe_key: job.dedupeKey,
      run_at: job.runAt,
      payload: JSON.stringify(job.payload),
      max_attempts: maxAttempts,
      created_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .modifyEnd(prepared())
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  // ON CONFLICT waited for any concurrent writer of the key to commit, so the row is visible now.
  const existing = await db.selectFrom('scheduled_jobs').select('id').where('dedupe_key', '=', job.dedupeKey).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}
