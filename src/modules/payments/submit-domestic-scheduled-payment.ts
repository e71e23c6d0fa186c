import { paymentTermsOf } from './payment-terms-of.ts';
import { submitPendingPayment } from './insert-pending-payment.ts';
import { randomUUID } from 'node:crypto';
import { findCreatedPayment } from './get-payment-of-kind.ts';
import { recordPaymentOrderOnAccount, scheduledPaymentOnAccount } from './record-payment-order-on-account.ts';
import type { DomesticPaymentSubmission, SubmittedDomesticPayment } from './submit-domestic-payment.ts';
import { submitUnderConsent, type SubmitUnderConsentDeps } from './submit-under-consent.ts';

/** Idempotency scope of `POST /domestic-scheduled-payments`. */
export const DOMESTIC_SCHEDULED_PAYMENTS_OPERATION = 'domestic-scheduled-payments';

export interface DomesticScheduledPaymentSubmission extends DomesticPaymentSubmission {
  /** The consented execution date (OB `RequestedExecutionDateTime` of the consent). */
  readonly requestedExecutionAt: Date;
}

/**
 * Submits the scheduled payment the PSU authorised (the rules of `submitUnderConsent`): stored as
 * Pending, its execution a durable job due at the requested date — the same job and ledger
 * execution as an immediate payment (`executeDomesticPayment`), dedupe key
 * `domestic-scheduled-payment:{id}`. A date that has passed since the consent runs at once.
 */
export async function submitDomesticScheduledPayment(deps: SubmitUnderConsentDeps, submission: DomesticScheduledPaymentSubmission, now: Date = new Date()): Promise<SubmittedDomesticPayment> {
  const outcome = await submitUnderConsent(
    deps,
    submission,
    { kind: 'domestic-scheduled-payment', operation: DOMESTIC_SCHEDULED_PAYMENTS_OPERATION },
    async (tx, consented) => {
      // OB DomesticScheduledPaymentId: at most 40 characters.
      const id = `psp-${randomUUID()}`;
      const { summary, debtor } = consented;
      await submitPendingPayment(
        deps,
        tx,
        {
          id,
          kind: 'scheduled',
          reach: 'domestic',
          consentId: consented.consentId,
          clientId: consented.clientId,
          psuId: consented.psuId,
          debtorAccountId: consented.debtorAccountId,
          debtor,
          creditorAccountId: consented.creditorAccountId,
          ...paymentTermsOf(summary),
          shareRefundAccount: submission.shareRefundAccount,
        },
        submission.requestedExecutionAt,
        now,
      );
      // Until it runs, the payer's account lists it among its scheduled payments (AIS scheduled-payments).
      await recordPaymentOrderOnAccount(deps.outbox, tx, scheduledPaymentOnAccount(id, consented, submission.requestedExecutionAt), now);
      return id;
    },
    now,
  );
  return { payment: await findCreatedPayment(deps.payments, outcome.resourceId, { kind: 'scheduled', reach: 'domestic' }), created: outcome.created };
}
