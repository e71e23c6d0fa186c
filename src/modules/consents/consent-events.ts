import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { DatabaseSchema } from '../../platform/db/index.ts';
import { defineEvent, recordEvent } from '../../platform/events/index.ts';
import type { ConsentKind, ConsentStatus } from './consent-model.ts';

// Records over the model's unions: a kind or status added there and not here fails the type check.
const KINDS: Record<ConsentKind, true> = {
  'account-access': true,
  'domestic-payment': true,
  'domestic-scheduled-payment': true,
  'domestic-standing-order': true,
  'international-payment': true,
  'international-scheduled-payment': true,
  'international-standing-order': true,
  'file-payment': true,
  'domestic-vrp': true,
  'funds-confirmation': true,
};
const STATUSES: Record<ConsentStatus, true> = { AwaitingUpload: true, AwaitingAuthorisation: true, Authorised: true, Rejected: true, Revoked: true, Expired: true, Consumed: true };
const kind = z.enum(Object.keys(KINDS) as [ConsentKind, ...ConsentKind[]]);
const status = z.enum(Object.keys(STATUSES) as [ConsentStatus, ...ConsentStatus[]]);

/** The events the consents module emits; each consent is one aggregate (`consent`, its id). */
export const ConsentCreatedV1 = defineEvent({
  type: 'ConsentCreated',
  version: 1,
  aggregateType: 'consent',
  payload: z.object({ consentId: z.string(), kind, status }),
});

/** Any status change: authorised, rejected, revoked (by the TPP or the PSU), consumed, expired, uploaded. */
export const ConsentStatusChangedV1 = defineEvent({
  type: 'ConsentStatusChanged',
  version: 1,
  aggregateType: 'consent',
  payload: z.object({ consentId: z.string(), status, by: z.enum(['TPP', 'PSU']).optional() }),
});

/** The accounts an account-access consent gives access to, as the PSU chose them. */
export const AccountAccessLinkedAccountsChangedV1 = defineEvent({
  type: 'AccountAccessLinkedAccountsChanged',
  version: 1,
  aggregateType: 'consent',
  payload: z.object({ consentId: z.string(), accountIds: z.array(z.string()) }),
});

/** Records a consent's new status in the transaction that changed it. */
export async function recordConsentStatusChanged(
  trx: Transaction<DatabaseSchema>,
  consent: { readonly id: string; readonly clientId: string; readonly status: ConsentStatus; readonly by?: 'TPP' | 'PSU' | undefined },
  occurredAt: Date,
): Promise<void> {
  await recordEvent(trx, ConsentStatusChangedV1, {
    aggregateId: consent.id,
    tppClientId: consent.clientId,
    payload: { consentId: consent.id, status: consent.status, ...(consent.by ? { by: consent.by } : {}) },
    occurredAt,
  });
}
