import { randomUUID } from 'node:crypto';
import type { CoreBanking, Money } from '../../core/index.ts';
import { convertAmount, rateForExecution, type ExchangeRates, type ExchangeRateTerms } from '../../core/fx/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { ConsentKind } from '../consents/index.ts';
import { findCreatedPayment } from './get-payment-of-kind.ts';
import { submitPendingPayment, type PendingPayment } from './insert-pending-payment.ts';
import { paymentTermsOf } from './payment-terms-of.ts';
import { InternationalPaymentErrors } from './international-payment.errors.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';
import { submitUnderConsent, type ConsentedPayment, type SubmitUnderConsentDeps } from './submit-under-consent.ts';

export interface SubmitInternationalPaymentDeps extends SubmitUnderConsentDeps {
  readonly core: SubmitUnderConsentDeps['core'] & Pick<CoreBanking, 'getAccount'>;
  readonly rates: ExchangeRates;
  /** Told after a new payment commits, to execute it without waiting for the scheduler's next poll. */
  readonly onSubmitted?: ((paymentId: string) => void) | undefined;
}

export interface SubmittedInternationalPayment {
  /** `amount` is what the debtor is debited, in the debtor account's currency. */
  readonly payment: DomesticPayment;
  /** The rate applied (absent when the account is in the currency of transfer). */
  readonly exchangeRate: ExchangeRateTerms | undefined;
  readonly created: boolean;
}

/** Idempotency scope of `POST /international-payments`. */
export const INTERNATIONAL_PAYMENTS_OPERATION = 'international-payments';

/** What an international payment moves: `debit` from the debtor's account, `transfer` to the creditor, at `exchangeRate`. */
export interface InternationalExchange {
  /** In the debtor account's currency. */
  readonly debit: Money;
  /** In `CurrencyOfTransfer`. */
  readonly transfer: Money;
  /** The rate applied (absent when both are in one currency). */
  readonly exchangeRate: ExchangeRateTerms | undefined;
}

/**
 * The debit of an international payment from an account in `debtorCurrency`, and what the
 * creditor is paid in `currencyOfTransfer` (by default the instructed currency). An amount
 * instructed in `CurrencyOfTransfer` is paid as it is and the debtor debited its conversion; one
 * instructed in the debtor account's currency is debited as it is and the creditor paid its
 * conversion (OB v4.0 `InstructedAmount`, "in the currency as ordered by the initiating party").
 * Converted exactly in bigint minor units, half-even once (`convertAmount`), at the rate
 * `rateForExecution` applies to the consent's terms (Actual/Agreed: the consent's rate while its
 * contract stands; Indicative: the bank's rate at `at`). Refused when the account is in a third
 * currency, or the consent's rate does not pair the two currencies.
 */
export async function debitOf(
  rates: ExchangeRates,
  instructed: Money,
  debtorCurrency: string,
  consentTerms: ExchangeRateTerms | undefined,
  at: Date,
  currencyOfTransfer: string = instructed.currency,
): Promise<InternationalExchange> {
  if (instructed.currency === currencyOfTransfer) {
    if (instructed.currency === debtorCurrency) return { debit: instructed, transfer: instructed, exchangeRate: undefined };
    const applied = await appliedRate(rates, consentTerms, debtorCurrency, currencyOfTransfer, at);
    return { debit: convertAmount(instructed, applied, debtorCurrency), transfer: instructed, exchangeRate: applied };
  }
  if (instructed.currency !== debtorCurrency) {
    throw new AppError(InternationalPaymentErrors.RATE_NOT_FOR_ACCOUNT, { details: [{ field: 'instruction.amount.currency' }] });
  }
  const applied = await appliedRate(rates, consentTerms, debtorCurrency, currencyOfTransfer, at);
  return { debit: instructed, transfer: convertAmount(instructed, applied, currencyOfTransfer), exchangeRate: applied };
}

/** The rate applied between the debtor's currency and the currency of transfer: the consent's terms (an Indicative quote when it has none), which must pair the two. */
async function appliedRate(rates: ExchangeRates, consentTerms: ExchangeRateTerms | undefined, debtorCurrency: string, currencyOfTransfer: string, at: Date): Promise<ExchangeRateTerms> {
  const terms: ExchangeRateTerms = consentTerms ?? { rateType: 'Indicative', unitCurrency: debtorCurrency, targetCurrency: currencyOfTransfer, rate: '1' };
  const pair = [terms.unitCurrency, terms.targetCurrency];
  if (!pair.includes(debtorCurrency) || !pair.includes(currencyOfTransfer)) throw new AppError(InternationalPaymentErrors.RATE_NOT_FOR_ACCOUNT, { details: [{ field: 'instruction.fx' }] });
  return rateForExecution(rates, terms, at);
}

/** What a submission under an international consent converts: the instructed amount, between the debtor account's currency and the currency of transfer, on the consent's terms. */
export interface ConsentedConversion {
  readonly instructed: Money;
  readonly debtorCurrency: string;
  readonly currencyOfTransfer: string;
  readonly consentTerms: ExchangeRateTerms | undefined;
}

/**
 * The debit of a submission converted now (`debitOf`), inside its transaction: `conversion` is what
 * `conversionOf` read of the consent, and there is always one once `submitUnderConsent` has let the
 * submission through.
 */
export function debitAtSubmission(rates: ExchangeRates, conversion: ConsentedConversion | undefined, consentId: string, now: Date): Promise<InternationalExchange> {
  if (!conversion) throw new Error(`consent ${consentId} has no debit`);
  return debitOf(rates, conversion.instructed, conversion.debtorCurrency, conversion.consentTerms, now, conversion.currencyOfTransfer);
}

/**
 * The conversion of a submission under an authorised consent of `kind`, read before its transaction
 * (through the core port); undefined when the submission is not for that consent, which
 * `submitUnderConsent` then refuses.
 */
export async function conversionOf(
  deps: Pick<SubmitInternationalPaymentDeps, 'payments' | 'core'>,
  submission: Pick<DomesticPaymentSubmission, 'consent' | 'consentId'>,
  kind: ConsentKind,
): Promise<ConsentedConversion | undefined> {
  const { consent } = submission;
  const summary = consent.payment;
  const debtorAccountId = consent.accountIds[0];
  if (!summary || !debtorAccountId || consent.kind !== kind || submission.consentId !== consent.id) return undefined;
  const account = await deps.core.getAccount(debtorAccountId);
  if (!account) throw new Error(`the debtor account ${debtorAccountId} of consent ${consent.id} is gone`);
  return {
    instructed: { amountMinor: summary.amountMinor, currency: summary.currency },
    debtorCurrency: account.currency,
    currencyOfTransfer: summary.currencyOfTransfer ?? summary.currency,
    consentTerms: await deps.payments.findExchangeRate(consent.id),
  };
}

/**
 * The payment a submission under an international consent stores: `debit` from the account the PSU
 * chose, to the creditor abroad — paid out through clearing even if the identification matches an
 * account here.
 */
export function paymentAbroad(
  id: string,
  kind: 'single' | 'scheduled',
  consented: ConsentedPayment,
  debit: Money,
  submission: Pick<DomesticPaymentSubmission, 'shareRefundAccount'>,
): PendingPayment {
  return {
    id,
    kind,
    reach: 'international',
    consentId: consented.consentId,
    clientId: consented.clientId,
    psuId: consented.psuId,
    debtorAccountId: consented.debtorAccountId,
    debtor: consented.debtor,
    creditorAccountId: null,
    ...paymentTermsOf(consented.summary),
    amountMinor: debit.amountMinor,
    currency: debit.currency,
    shareRefundAccount: submission.shareRefundAccount,
  };
}

/**
 * Submits the international payment the PSU authorised, by the rules of every payment under a
 * one-use consent (`submitUnderConsent`: exactly the consented instruction, the consent
 * consumed, idempotent). The debtor is debited in its account's currency the instructed amount or
 * its conversion (`debitOf`, exact, half-even to the minor unit); the creditor is outside the bank, so the payment
 * leaves through the clearing account of the debtor's currency (`executeDomesticPayment`). The rate
 * applied is kept with the payment.
 */
export async function submitInternationalPayment(
  deps: SubmitInternationalPaymentDeps,
  submission: DomesticPaymentSubmission,
  now: Date = new Date(),
): Promise<SubmittedInternationalPayment> {
  const conversion = await conversionOf(deps, submission, 'international-payment');
  const outcome = await submitUnderConsent(
    deps,
    submission,
    { kind: 'international-payment', operation: INTERNATIONAL_PAYMENTS_OPERATION },
    async (tx, consented) => {
      // The rate is applied only for a new payment: a repeat under the same idempotency key gets the
      // payment it created, even once the consent's rate contract has expired.
      const { debit, exchangeRate } = await debitAtSubmission(deps.rates, conversion, consented.consentId, now);
      // OB InternationalPaymentId: at most 40 characters.
      const id = `pip-${randomUUID()}`;
      await submitPendingPayment(deps, tx, paymentAbroad(id, 'single', consented, debit, submission), now, now);
      if (exchangeRate) await deps.payments.saveExchangeRate(tx, id, exchangeRate);
      return id;
    },
    now,
  );
  if (outcome.created) deps.onSubmitted?.(outcome.resourceId);
  const payment = await findCreatedPayment(deps.payments, outcome.resourceId, { kind: 'single', reach: 'international' });
  return { payment, exchangeRate: await deps.payments.findExchangeRate(payment.id), created: outcome.created };
}
