import type { NewJob } from '../../platform/scheduler/index.ts';

/** The durable job that runs one instalment of a standing order (src/platform/scheduler). */
export const EXECUTE_STANDING_ORDER_INSTALMENT_JOB = 'payments.standing-order-instalment';

export interface StandingOrderInstalmentPayload {
  readonly standingOrderId: string;
  /** 1 for the first payment. */
  readonly instalment: number;
}

/** The job of instalment `n`, due at `runAt`: its dedupe key `standing-order:{id}:{n}` makes it exist once. */
export function standingOrderInstalmentJob(standingOrderId: string, n: number, runAt: Date): NewJob<StandingOrderInstalmentPayload> {
  return { kind: EXECUTE_STANDING_ORDER_INSTALMENT_JOB, dedupeKey: `standing-order:${standingOrderId}:${n}`, runAt, payload: { standingOrderId, instalment: n } };
}
