import type { NewJob } from '../../platform/scheduler/index.ts';

/** The durable job that runs one instalment of a standing order (src/platform/scheduler). */
export const EXECUTE_STANDING_ORDER_INSTALMENT_JOB = 'payments.standing-order-instalment';

export interface StandingOrderInstalmentPayload {
  readonly standingOrderId: string;
  /** 1 for the first payment. */
  readonly instalment: number;
  /**
   * The instalment's date by the order's rhythm (ISO 8601) when the job runs on another day (the
   * business day the order's rule moved it to); absent: the job's own time (jobs made before).
   */
  readonly dueAt?: string;
}

/**
 * The job of instalment `n`, due at `dueAt` and run at `runAt` (the business day it is paid on; the
 * due date itself by default): its dedupe key `standing-order:{id}:{n}` makes it exist once.
 */
export function standingOrderInstalmentJob(standingOrderId: string, n: number, dueAt: Date, runAt: Date = dueAt): NewJob<StandingOrderInstalmentPayload> {
  const payload = runAt.getTime() === dueAt.getTime() ? { standingOrderId, instalment: n } : { standingOrderId, instalment: n, dueAt: dueAt.toISOString() };
  return { kind: EXECUTE_STANDING_ORDER_INSTALMENT_JOB, dedupeKey: `standing-order:${standingOrderId}:${n}`, runAt, payload };
}

/** The date instalment job's instalment is due on (its rhythm's, whatever day it runs). */
export const dueAtOfInstalmentJob = (payload: StandingOrderInstalmentPayload, runAt: Date): Date => (payload.dueAt === undefined ? runAt : new Date(payload.dueAt));
