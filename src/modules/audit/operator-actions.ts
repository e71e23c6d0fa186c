import { z } from 'zod';
import type { Db } from '../../platform/db/index.ts';
import { defineEvent, recordEvent } from '../../platform/events/index.ts';

/**
 * An operator's action outside the API (a `portico` command): recorded through the outbox, so
 * that a command needs no signing key and loses nothing; the audit consumer of a worker writes it
 * to the trail, signed with the bank's keys.
 */
export const OperatorActedV1 = defineEvent({
  type: 'OperatorActed',
  version: 1,
  aggregateType: 'operator-action',
  payload: z.object({
    /** Who: the user and host the command ran as. */
    operator: z.string(),
    /** What: `portico keys rotate`… */
    action: z.string(),
    argv: z.array(z.string()),
    outcome: z.enum(['success', 'failure']),
    error: z.string().optional(),
  }),
});

export type OperatorAction = z.infer<typeof OperatorActedV1.payload>;

/** Records an operator's action for the audit trail (committed when this resolves). */
export async function recordOperatorAction(db: Db, action: OperatorAction): Promise<void> {
  await recordEvent(db, OperatorActedV1, { aggregateId: `${action.operator}:${Date.now()}`, tppClientId: null, payload: action });
}
