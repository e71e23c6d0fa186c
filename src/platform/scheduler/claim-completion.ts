import { transactionOf, type DatabaseSchema, type TxContext } from '../db/index.ts';
import type { JobCompletion } from './job-handler.ts';
import type { ClaimedJob } from './scheduled-job.ts';
import { completeClaim, completeClaims } from './settle-claim.ts';

/**
 * The scheduler's `JobCompletion` of one claimed job: `completedIn` tells whether the handler
 * marked the job done in one of its transactions (true), tried to but had lost the job to another
 * worker (false), or never tried (undefined).
 */
export class ClaimCompletion implements JobCompletion {
  completedIn: boolean | undefined;

  constructor(
    readonly job: ClaimedJob,
    readonly workerId: string,
    readonly at: () => Date,
  ) {}

  async in(tx: TxContext): Promise<void> {
    this.completedIn = await completeClaim(transactionOf<DatabaseSchema>(tx), this.job, this.workerId, this.at());
  }
}

/**
 * Marks several standalone jobs done in the caller's transaction (a batch of them ran together):
 * the scheduler's completions in one statement, any other one by its own `in`.
 */
export async function completeJobsIn(tx: TxContext, completions: readonly JobCompletion[]): Promise<void> {
  const claims = completions.filter((completion) => completion instanceof ClaimCompletion);
  for (const completion of completions) if (!(completion instanceof ClaimCompletion)) await completion.in(tx);
  if (claims.length === 0) return;
  const done = await completeClaims(transactionOf<DatabaseSchema>(tx), claims, claims[0]!.at());
  for (const claim of claims) claim.completedIn = done.has(claim.job.id);
}
