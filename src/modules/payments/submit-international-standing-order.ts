import { randomUUID } from 'node:crypto';
import type { CoreBanking } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { InternationalPaymentErrors } from './international-payment.errors.ts';
import type { InternationalStandingOrderTerms } from './international-payment-model.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';
import { submitStandingOrder, type SubmittedDomesticStandingOrder } from './submit-standing-order.ts';
import type { SubmitUnderConsentDeps } from './submit-under-consent.ts';

/** Idempotency scope of `POST /international-standing-orders`. */
export const INTERNATIONAL_STANDING_ORDERS_OPERATION = 'international-standing-orders';

export interface InternationalStandingOrderSubmission extends DomesticPaymentSubmission {
  /** The schedule and amount the PSU authorised (the consent's, in neutral form). */
  readonly consentedOrder: InternationalStandingOrderTerms;
}

/**
 * Sets up the international standing order the PSU authorised, as a domestic one
 * (`submitDomesticStandingOrder`), to the creditor abroad: each instalment leaves through the
 * clearing account of the debtor account's currency, which the order keeps, and is converted into
 * it at the bank's rate when it runs (`executeStandingOrderInstalment`).
 */
export async function submitInternationalStandingOrder(
  deps: SubmitUnderConsentDeps & { readonly core: Pick<CoreBanking, 'getAccount'> },
  submission: InternationalStandingOrderSubmission,
  now: Date = new Date(),
): Promise<SubmittedDomesticStandingOrder> {
  const debtorAccountId = submission.consent.accountIds[0];
  // Read through the core port before the transaction: inside it, only `tx` may be used.
  const account = debtorAccountId ? await deps.core.getAccount(debtorAccountId) : undefined;
  return submitStandingOrder(
    deps,
    submission,
    { kind: 'international-standing-order', operation: INTERNATIONAL_STANDING_ORDERS_OPERATION },
    (consented) => {
      if (!account) throw new Error(`the debtor account ${consented.debtorAccountId} of consent ${consented.consentId} is gone`);
      // Instructed in the currency of transfer (each instalment converted for the debit) or in the
      // account's own (debited as it is): an account in a third currency cannot pay the order.
      const { firstAmount, currencyOfTransfer } = submission.consentedOrder;
      if (firstAmount.currency !== currencyOfTransfer && firstAmount.currency !== account.currency) {
        throw new AppError(InternationalPaymentErrors.RATE_NOT_FOR_ACCOUNT, { details: [{ field: 'instruction.amount.currency' }] });
      }
      // OB InternationalStandingOrderId: at most 40 characters.
      return { id: `pio-${randomUUID()}`, reach: 'international', terms: submission.consentedOrder, creditorAccountId: null, debitCurrency: account.currency };
    },
    now,
  );
}
