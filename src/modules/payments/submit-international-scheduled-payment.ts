import { randomUUID } from 'node:crypto';
import { EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB } from './execute-international-scheduled-payment.ts';
import { findCreatedPayment } from './get-payment-of-kind.ts';
import { submitPendingPayment } from './insert-pending-payment.ts';
import { recordPaymentOrderOnAccount, scheduledPaymentOnAccount } from './record-payment-order-on-account.ts';
import { exchangeRateOfPayment } from './payment-exchange-rates.ts';
import type { DomesticScheduledPaymentSubmission } from './submit-domestic-scheduled-payment.ts';
import { conversionOf, debitAtSubmission, paymentAbroad, type SubmitInternationalPaymentDeps, type SubmittedInternationalPayment } from './submit-international-payment.ts';
import { submitUnderConsent } from './submit-under-consent.ts';

/** Idempotency scope of `POST /international-scheduled-payments`. */
export const INTERNATIONAL_SCHEDULED_PAYMENTS_OPERATION = 'international-scheduled-payments';

/**
 * Submits the international scheduled payment the PSU authorised (the rules of
 * `submitUnderConsent`): stored Pending to the creditor abroad, with its execution a durable job
 * due at the requested date (`executeInternationalScheduledPayment`, which converts at the rate
 * applicable then). The order is accepted only if it could be priced now (`debitOf`: the consent's
 * rate pairs the account's currency, an Actual or Agreed contract stands at set-up); the debit it
 * would have now is kept as the expected one, and the resource states the consent's rate until the
 * payment has applied its own. A date that has passed since the consent runs at once.
 */
export async function submitInternationalScheduledPayment(
  deps: SubmitInternationalPaymentDeps,
  submission: DomesticScheduledPaymentSubmission,
  now: Date = new Date(),
): Promise<SubmittedInternationalPayment> {
  const conversion = await conversionOf(deps, submission, 'international-scheduled-payment');
  const outcome = await submitUnderConsent(
    deps,
    submission,
    { kind: 'international-scheduled-payment', operation: INTERNATIONAL_SCHEDULED_PAYMENTS_OPERATION },
    async (tx, consented) => {
      const { debit } = await debitAtSubmission(deps.rates, conversion, consented.consentId, now);
      // OB InternationalScheduledPaymentId: at most 40 characters.
      const id = `pis-${randomUUID()}`;
      await submitPendingPayment(deps, tx, paymentAbroad(id, 'scheduled', consented, debit, submission), submission.requestedExecutionAt, now, EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB);
      // Until it runs, the payer's account lists it among its scheduled payments, in the instructed currency (AIS).
      await recordPaymentOrderOnAccount(deps.outbox, tx, scheduledPaymentOnAccount(id, consented, submission.requestedExecutionAt), now);
      return id;
    },
    now,
  );
  const payment = await findCreatedPayment(deps.payments, outcome.resourceId, { kind: 'scheduled', reach: 'international' });
  return { payment, exchangeRate: await exchangeRateOfPayment(deps.payments, payment), created: outcome.created };
}
