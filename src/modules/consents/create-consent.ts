import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DatabaseSchema, Db } from '../../platform/db/index.ts';
import { recordEvent } from '../../platform/events/index.ts';
import { ConsentCreatedV2 } from './consent-events.ts';
import { AppError } from '../../platform/errors/index.ts';
import { ConsentErrors } from './consents.errors.ts';
import type { Consent, ConsentKind, PaymentSummary } from './consent-model.ts';
import { toConsent } from './consent-row.ts';
import { toPaymentSummaryColumn } from './payment-summary-column.ts';
import { NO_ACCESS, validateAccessScope, type AccessScope } from './access-scope.ts';
import { toAccessScopeColumn } from './access-scope-column.ts';

export interface NewConsent {
  readonly kind: ConsentKind;
  readonly clientId: string;
  /** Required for account access: what the TPP may see, once the PSU has authorised it. */
  readonly access?: AccessScope | undefined;
  readonly expiresAt?: Date | undefined;
  readonly request: Record<string, unknown>;
  /** Required for payment kinds: what the PSU will be shown and authenticate. */
  readonly payment?: PaymentSummary | undefined;
  /**
   * Kinds where the TPP names the account (funds confirmation): the bank's accounts the PSU may
   * authorise it for, until authorisation records the PSU's choice. Empty when the named account
   * is not one of the bank's; the TPP is not told (no account enumeration), the PSU is.
   */
  readonly accountIds?: readonly string[] | undefined;
  /** A file payment consent: staged awaiting upload, until its file is uploaded (`completeConsentUpload`). */
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

/** Stages a consent, awaiting authorisation, for the TPP (client) that asked for it. */
export async function createConsent(db: Db, input: NewConsent, now: Date = new Date()): Promise<Consent> {
  return db.transaction().execute((trx) => insertConsent(trx, input, now));
}

/**
 * `createConsent` inside the caller's transaction, for a consent created together with other
 * writes (an idempotency claim: src/modules/idempotency). Only `trx` is used: Kysely does not nest
 * transactions, and on PGlite a query through the outer `Db` would wait for this very transaction.
 */
export async function insertConsent(trx: Transaction<DatabaseSchema>, input: NewConsent, now: Date = new Date()): Promise<Consent> {
  const access = input.kind === 'account-access' ? validateAccessScope(input.access ?? NO_ACCESS) : null;
  if (input.expiresAt && input.expiresAt <= now) {
    throw new AppError(ConsentErrors.EXPIRATION_IN_PAST, { details: [{ field: 'consent.expires-at' }] });
  }
  const id = `${ID_PREFIX[input.kind]}-${randomUUID()}`;
  const row = await trx
    .insertInto('consents')
    .values({
      id,
      kind: input.kind,
      client_id: input.clientId,
      status: input.awaitingUpload ? 'awaiting-upload' : 'awaiting-authorisation',
      created_at: now,
      status_updated_at: now,
      access: JSON.stringify(access ? toAccessScopeColumn(access) : null),
      expires_at: input.expiresAt ?? null,
      transaction_from: access?.window.from ?? null,
      transaction_to: access?.window.to ?? null,
      request: JSON.stringify(input.request),
      account_ids: JSON.stringify([...(input.accountIds ?? [])]),
      payment: JSON.stringify(input.payment ? toPaymentSummaryColumn(input.payment) : null),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, ConsentCreatedV2, { aggregateId: id, tppClientId: input.clientId, payload: { consentId: id, kind: input.kind, status: row.status }, occurredAt: now });
  return toConsent(row, now);
}
