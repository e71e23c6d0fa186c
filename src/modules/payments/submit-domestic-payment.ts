import { randomUUID } from 'node:crypto';
import type { CoreBanking } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { matchesConsent, type Consent, type ConsentMatch } from '../consents/index.ts';
import { checkIdempotencyKey, type ReceivedRequest } from '../idempotency/index.ts';
import { findCreatedPayment } from './get-payment-of-kind.ts';
import { readPaymentParties } from './payment-accounts.ts';
import { paymentPartiesOf, paymentTermsOf } from './payment-terms-of.ts';
import { submitPendingPayment } from './insert-pending-payment.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { PaymentStores } from './payment-stores.ts';
import { PaymentErrors } from './payments.errors.ts';

export interface DomesticPaymentSubmission extends ReceivedRequest {
  /** The consent the PSU's token was issued for, as the security pipeline found it (Authorised, or Consumed for a repeat). */
  readonly consent: Consent;
  /** The consent the submission names. */
  readonly consentId: string;
  /** What the submission asks to pay beside what the PSU authorised under the consent. */
  readonly match: ConsentMatch;
  /** The request's idempotency key header, as received. */
  readonly idempotencyKey: string | readonly string[] | undefined;
  /** The consent asked for the refund account (the debtor's) to be shared with the TPP (OB ReadRefundAccount). */
  readonly shareRefundAccount: boolean;
}

export interface SubmitDomesticPaymentDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'getAccountOverviews' | 'findAccountByIdentifier'>;
  /** Told after a new payment commits, to execute it without waiting for the scheduler's next poll. */
  readonly onSubmitted?: ((paymentId: string) => void) | undefined;
}

export interface SubmittedDomesticPayment {
  readonly payment: DomesticPayment;
  /** False for a repeat of an earlier submission (same idempotency key and body): nothing new happened. */
  readonly created: boolean;
}

/** Idempotency scope of `POST /domestic-payments`. */
export const DOMESTIC_PAYMENTS_OPERATION = 'domestic-payments';

/**
 * Submits the payment the PSU authorised. In one transaction, idempotent by the request's key:
 * the submission must pay exactly what was consented (the same payment instruction, and
 * the standard's echo rule kept, else 400), the consent is consumed (a second submission under it is refused), the
 * payment is stored as Pending and its execution scheduled as a durable job (src/platform/scheduler),
 * which debits the PSU's account once (`executeDomesticPayment`). A repeat with the same key and
 * body answers with the payment the first created; another body under that key is refused.
 */
export async function submitDomesticPayment(deps: SubmitDomesticPaymentDeps, submission: DomesticPaymentSubmission, now: Date = new Date()): Promise<SubmittedDomesticPayment> {
  const key = checkIdempotencyKey(submission.idempotencyKey);
  const { consent } = submission;
  if (submission.consentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ field: 'consent-id' }] });
  const summary = consent.payment;
  const debtorAccountId = consent.accountIds[0];
  if (consent.kind !== 'domestic-payment' || !summary || !debtorAccountId || !consent.psuId) {
    throw new Error(`consent ${consent.id} is not an authorised domestic payment consent`);
  }
  // Reads through the core port happen before the transaction: inside it, only `tx` may be used.
  const { debtor, creditorAccountId } = await readPaymentParties(deps.core, debtorAccountId, summary);

  // OB DomesticPaymentId: at most 40 characters. Chosen first, so the idempotency claim records it.
  const id = `pdp-${randomUUID()}`;
  // The payment this request stores, as stored: answered without reading it back once committed.
  let stored: DomesticPayment | undefined;
  const outcome = await deps.idempotency.withIdempotency(
    { clientId: consent.clientId, operation: DOMESTIC_PAYMENTS_OPERATION, key, requestHash: submission.requestHash, alongside: submission.alongside, resourceId: id },
    async (tx) => {
      // Exactly what the PSU authorised: anything else is refused.
      if (!matchesConsent(submission.match)) throw new AppError(PaymentErrors.CONSENT_MISMATCH, { details: [{ field: 'instruction' }] });
      await deps.consents.consume(tx, consent.id, consent.clientId, now);
      stored = await submitPendingPayment(
        deps,
        tx,
        {
          id,
          kind: 'single',
          reach: 'domestic',
          ...paymentPartiesOf(consent, debtorAccountId, debtor, creditorAccountId),
          ...paymentTermsOf(summary),
          shareRefundAccount: submission.shareRefundAccount,
        },
        now,
        now,
      );
      return id;
    },
    now,
  );
  if (outcome.created) {
    // Cached copies of the consent would still say Authorised for a while: harmless, since only the
    // conditional update above consumes it, but retire them so reads are current. An unreachable
    // cache must not turn a committed payment into an error for the TPP.
    await deps.consents.forget(consent.id);
    deps.onSubmitted?.(outcome.resourceId);
  }
  // A repeat answers with the payment the first request created, as it is now.
  const payment = outcome.created && stored ? stored : await findCreatedPayment(deps.payments, outcome.resourceId, { kind: 'single', reach: 'domestic' });
  return { payment, created: outcome.created };
}
