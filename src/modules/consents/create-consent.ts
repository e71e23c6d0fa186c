import { randomUUID } from 'node:crypto';
import type { TxContext, UnitOfWork } from '../../platform/db/index.ts';
import { recordEventIn } from '../../platform/events/index.ts';
import { ConsentCreatedV2 } from './consent-events.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { AlongsideWrite } from '../idempotency/index.ts';
import { ConsentErrors } from './consents.errors.ts';
import type { Consent, ConsentKind, PaymentSummary } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';
import { NO_ACCESS, validateAccessScope, type AccessScope } from './access-scope.ts';

export interface NewConsent {
  readonly kind: ConsentKind;
  readonly clientId: string;
  /** Required for account access: what the TPP may see, once the PSU has authorised it. */
  readonly access?: AccessScope | undefined;
  readonly expiresAt?: Date | undefined;
  /** Required for payment kinds: what the PSU will be shown and authenticate. */
  readonly payment?: PaymentSummary | undefined;
  /**
   * Kinds where the TPP names the account (funds confirmation): the bank's accounts the PSU may
   * authorise it for, until authorisation records the PSU's choice. Empty when the named account
   * is not one of the bank's; the TPP is not told (no account enumeration), the PSU is.
   */
  readonly accountIds?: readonly string[] | undefined;
  /** A file payment consent: staged awaiting upload, until its file is uploaded (`ConsentsApi.completeUpload`). */
  readonly awaitingUpload?: boolean | undefined;
}

const ID_PREFIX: Record<ConsentKind, string> = {
  'account-access': 'aac',
  'domestic-payment': 'pdc',
  'domestic-scheduled-payment': 'pdsc',
  'domestic-standing-order': 'pdso',
  'international-payment': 'pic',
  'international-scheduled-payment': 'pisc',
  'international-standing-order': 'piso',
  'file-payment': 'pfc',
  'domestic-vrp': 'vrp',
  'funds-confirmation': 'cof',
};

/**
 * Stages a consent in AwaitingAuthorisation (a file payment's: AwaitingUpload) for the TPP (client)
 * that asked for it, in the caller's transaction (an idempotency claim, src/modules/idempotency,
 * commits with it), with its ConsentCreated event.
 */
export async function stageConsent(repository: ConsentsRepository, tx: TxContext, input: NewConsent, now: Date = new Date()): Promise<Consent> {
  const access = input.kind === 'account-access' ? validateAccessScope(input.access ?? NO_ACCESS) : null;
  if (input.expiresAt && input.expiresAt <= now) {
    throw new AppError(ConsentErrors.EXPIRATION_IN_PAST, { details: [{ field: 'consent.expires-at' }] });
  }
  const id = `${ID_PREFIX[input.kind]}-${randomUUID()}`;
  const consent = await repository.insert(tx, {
    id,
    kind: input.kind,
    clientId: input.clientId,
    status: input.awaitingUpload ? 'awaiting-upload' : 'awaiting-authorisation',
    createdAt: now,
    access,
    expiresAt: input.expiresAt ?? null,
    accountIds: input.accountIds ?? [],
    payment: input.payment ?? null,
  });
  await recordEventIn(tx, ConsentCreatedV2, { aggregateId: id, tppClientId: input.clientId, payload: { consentId: id, kind: input.kind, status: consent.status }, occurredAt: now });
  return consent;
}

/** `stageConsent` in a transaction of its own; `alongside` (the facade keeping the request as received) commits with it. */
export function createConsent(uow: UnitOfWork, repository: ConsentsRepository, input: NewConsent, now: Date = new Date(), alongside?: AlongsideWrite): Promise<Consent> {
  return uow.run(async (tx) => {
    const consent = await stageConsent(repository, tx, input, now);
    await alongside?.(tx, consent.id);
    return consent;
  });
}
