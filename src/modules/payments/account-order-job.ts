import { randomUUID } from 'node:crypto';
import type { AccountOrderChange, AccountOrders } from '../../core/index.ts';
import type { NewJob, StandaloneJobHandler } from '../../platform/scheduler/index.ts';

/** The durable job that records a change of a payment order on the payer's account in the core (AccountOrders). */
export const RECORD_ACCOUNT_ORDER_JOB = 'payments.record-account-order';

/** The change as a job payload holds it: JSON, so dates as ISO strings and minor units as decimal strings. */
export interface AccountOrderPayload {
  readonly change: unknown;
}

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MINOR = /^-?\d+n$/;

const encode = (value: unknown): unknown =>
  value instanceof Date
    ? value.toISOString()
    : typeof value === 'bigint'
      ? `${value}n`
      : Array.isArray(value)
        ? value.map(encode)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encode(v)]))
          : value;

const decode = (value: unknown): unknown =>
  typeof value === 'string'
    ? DATE.test(value) ? new Date(value) : MINOR.test(value) ? BigInt(value.slice(0, -1)) : value
    : Array.isArray(value)
      ? value.map(decode)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]))
        : value;

/** The job recording `change`, due at `now`; each change is a job of its own. */
export function accountOrderJob(orderId: string, change: AccountOrderChange, now: Date): NewJob<AccountOrderPayload> {
  return { kind: RECORD_ACCOUNT_ORDER_JOB, dedupeKey: `account-order:${orderId}:${randomUUID()}`, runAt: now, payload: { change: encode(change) } };
}

/**
 * The scheduler handler of RECORD_ACCOUNT_ORDER_JOB: hands the change to the core, outside any
 * transaction of the platform. At least once: the core records an order by its id, so a repeat
 * writes the same state.
 */
export function accountOrderRecording(core: AccountOrders): StandaloneJobHandler<AccountOrderPayload> {
  return {
    transactional: false,
    async run(job) {
      await core.recordOrder(decode(job.payload.change) as AccountOrderChange);
    },
  };
}
