import { z } from 'zod';
import type { TxContext } from '../../platform/db/index.ts';
import { defineEvent, recordEventIn } from '../../platform/events/index.ts';
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
const STATUSES: Record<ConsentStatus, true> = {
  'awaiting-upload': true,
  'awaiting-authorisation': true,
  authorised: true,
  rejected: true,
  revoked: true,
  expired: true,
  consumed: true,
};
const kind = z.enum(Object.keys(KINDS) as [ConsentKind, ...ConsentKind[]]);
const status = z.enum(Object.keys(STATUSES) as [ConsentStatus, ...ConsentStatus[]]);
const by = z.enum(['TPP', 'PSU']).optional();

/**
 * Version 1 of the consent events named the statuses as UK Open Banking's v3.1 status words; they
 * are no longer emitted (version 2 names the neutral statuses) and stay declared so that consumers
 * still read the ones recorded before (docs/decisions/0005e-neutral-consent-purpose-and-access-scope.md).
 */
const statusV1 = z.enum(['AwaitingUpload', 'AwaitingAuthorisation', 'Authorised', 'Rejected', 'Revoked', 'Expired', 'Consumed']);

/** The events the consents module emits; each consent is one aggregate (`consent`, its id). */
export const ConsentCreatedV2 = defineEvent({
  type: 'ConsentCreated',
  version: 2,
  aggregateType: 'consent',
  payload: z.object({ consentId: z.string(), kind, status }),
});

/** Any status change: authorised, rejected, revoked (by the TPP or the PSU), consumed, expired, uploaded. */
export const ConsentStatusChangedV2 = defineEvent({
  type: 'ConsentStatusChanged',
  version: 2,
  aggregateType: 'consent',
  payload: z.object({ consentId: z.string(), status, by }),
});

/** Read only: `ConsentCreatedV2` with v1's status words. */
export const ConsentCreatedV1 = defineEvent({
  type: 'ConsentCreated',
  version: 1,
  aggregateType: 'consent',
  payload: z.object({ consentId: z.string(), kind, status: statusV1 }),
});

/** Read only: `ConsentStatusChangedV2` with v1's status words. */
export const ConsentStatusChangedV1 = defineEvent({
  type: 'ConsentStatusChanged',
  version: 1,
  aggregateType: 'consent',
  payload: z.object({ consentId: z.string(), status: statusV1, by }),
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
  tx: TxContext,
  consent: { readonly id: string; readonly clientId: string; readonly status: ConsentStatus; readonly by?: 'TPP' | 'PSU' | undefined },
  occurredAt: Date,
): Promise<void> {
  await recordEventIn(tx, ConsentStatusChangedV2, {
    aggregateId: consent.id,
    tppClientId: consent.clientId,
    payload: { consentId: consent.id, status: consent.status, ...(consent.by ? { by: consent.by } : {}) },
    occurredAt,
  });
}
