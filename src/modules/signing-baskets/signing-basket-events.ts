import { z } from 'zod';
import type { TxContext } from '../../platform/db/index.ts';
import { defineEvent, recordEventIn } from '../../platform/events/index.ts';
import type { SigningBasket, SigningBasketStatus } from './signing-basket.ts';

// Over the model's union: a status added there and not here fails the type check.
const STATUSES: Record<SigningBasketStatus, true> = { 'awaiting-authorisation': true, authorised: true, rejected: true, cancelled: true };

/**
 * The event of every signing basket state change (each basket is one aggregate, `signing-basket`,
 * its id): created awaiting authorisation with its members, then authorised, rejected or cancelled.
 * The members' own consent events say what became of each of them.
 */
export const SigningBasketStatusChangedV1 = defineEvent({
  type: 'SigningBasketStatusChanged',
  version: 1,
  aggregateType: 'signing-basket',
  payload: z.object({
    basketId: z.string(),
    status: z.enum(Object.keys(STATUSES) as [SigningBasketStatus, ...SigningBasketStatus[]]),
    consentIds: z.array(z.string()),
  }),
});

/** Records the basket's status as it now stands, in `tx`, for the TPP that owns it. */
export function recordBasketStatus(tx: TxContext, basket: SigningBasket): Promise<unknown> {
  return recordEventIn(tx, SigningBasketStatusChangedV1, {
    aggregateId: basket.id,
    tppClientId: basket.clientId,
    occurredAt: basket.statusUpdatedAt,
    payload: { basketId: basket.id, status: basket.status, consentIds: [...basket.consentIds] },
  });
}
