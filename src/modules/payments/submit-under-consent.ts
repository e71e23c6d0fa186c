import type { CoreBanking } from '../../core/index.ts';
import type { TxContext } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { matchesConsent, type ConsentKind, type PaymentSummary } from '../consents/index.ts';
import { checkIdempotencyKey, type IdempotentOutcome } from '../idempotency/index.ts';
import { readPaymentParties } from './payment-accounts.ts';
import type { PaymentAccount } from './payment-model.ts';
import type { PaymentStores } from './payment-stores.ts';
import { PaymentErrors } from './payments.errors.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';

export interface SubmitUnderConsentDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'getAccountOverviews' | 'findAccountByIdentifier'>;
}

/** What the consent settled, for the resource the submission creates. */
export interface ConsentedPayment {
  readonly consentId: string;
  readonly clientId: string;
  readonly psuId: string;
  readonly summary: PaymentSummary;
  readonly debtorAccountId: string;
  readonly debtor: PaymentAccount | null;
  /** The bank's own account the creditor names; null when paid out through clearing. */
  readonly creditorAccountId: string | null;
}

/**
 * The submission rules every payment order under a one-use consent follows (as
 * `submitDomesticPayment`): the body names the token's consent, it pays exactly the consented
 * instruction (`matchesConsent`), and in one idempotent transaction the consent is consumed (a second submission is
 * refused) and `create` stores the resource. Cached copies of the consent are retired afterwards.
 */
export async function submitUnderConsent(
  deps: SubmitUnderConsentDeps,
  submission: Omit<DomesticPaymentSubmission, 'shareRefundAccount'>,
  options: { readonly kind: ConsentKind; readonly operation: string },
  create: (tx: TxContext, consented: ConsentedPayment) => Promise<string>,
  now: Date,
): Promise<IdempotentOutcome> {
  const key = checkIdempotencyKey(submission.idempotencyKey);
  const { consent } = submission;
  if (submission.consentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ field: 'consent-id' }] });
  const summary = consent.payment;
  const debtorAccountId = consent.accountIds[0];
  const psuId = consent.psuId;
  if (consent.kind !== options.kind || !summary || !debtorAccountId || !psuId) throw new Error(`consent ${consent.id} is not an authorised ${options.kind} consent`);
  // Reads through the core port happen before the transaction: inside it, only `tx` may be used.
  const { debtor, creditorAccountId } = await readPaymentParties(deps.core, debtorAccountId, summary);
  const outcome = await deps.idempotency.withIdempotency(
    { clientId: consent.clientId, operation: options.operation, key, requestHash: submission.requestHash, alongside: submission.alongside },
    async (tx) => {
      if (!matchesConsent(submission.match)) throw new AppError(PaymentErrors.CONSENT_MISMATCH, { details: [{ field: 'instruction' }] });
      await deps.consents.consume(tx, consent.id, consent.clientId, now);
      return create(tx, { consentId: consent.id, clientId: consent.clientId, psuId, summary, debtorAccountId, debtor, creditorAccountId });
    },
    now,
  );
  if (outcome.created) await deps.consents.forget(consent.id);
  return outcome;
}
