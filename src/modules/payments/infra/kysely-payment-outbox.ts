import { transactionOf, type DatabaseSchema } from '../../../platform/db/index.ts';
import { recordEventIn, recordEventsIn } from '../../../platform/events/index.ts';
import { scheduleJob } from '../../../platform/scheduler/index.ts';
import type { PaymentOutbox } from '../payment-outbox.port.ts';

/** Jobs in `scheduled_jobs` and events in the outbox, written in the payments transaction. */
export const kyselyPaymentOutbox: PaymentOutbox = {
  async schedule(tx, job, now) {
    await scheduleJob(transactionOf<DatabaseSchema>(tx), job, now);
  },
  async record(tx, definition, fact) {
    await recordEventIn(tx, definition, fact);
  },
  async recordAll(tx, definition, facts) {
    if (facts.length > 0) await recordEventsIn(tx, definition, facts);
  },
};
