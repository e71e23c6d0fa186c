import { randomUUID } from 'node:crypto';
import type { CoreBanking, Money } from '../../core/index.ts';
import { convertAmount, rateForExecution, type ExchangeRates, type ExchangeRateTerms } from '../../core/fx/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent } from '../consents/index.ts';
import { findPaymentOfKind } from './get-payment-of-kind.ts';
import { submitPendingPayment } from './insert-pending-payment.ts';
import { InternationalPaymentErrors } from './international-payment.errors.ts';
import { findExchangeRate, saveExchangeRate } from './payment-exchange-rates.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';
import { submitUnderConsent, type SubmitUnderConsentDeps } from './submit-under-consent.ts';

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

/**
 * The debit of an international payment from an account in `debtorCurrency`: the instructed amount
 * converted at the rate `rateForExecution` applies to the consent's terms (Actual/Agreed: the
 * consent's rate while its contract stands; Indicative: the bank's rate at `at`). Refused when the
 * consent's rate does not pair the two currencies.
 */
export async function debitOf(
  rates: ExchangeRates,
  instructed: Money,
  debtorCurrency: string,
  consentTerms: ExchangeRateTerms | undefined,
  at: Date,
): Promise<{ debit: Money; exchangeRate: ExchangeRateTerms | undefined }> {
  if (instructed.currency === debtorCurrency) return { debit: instructed, exchangeRate: undefined };
  const terms: ExchangeRateTerms = consentTerms ?? { rateType: 'Indicative', unitCurrency: debtorCurrency, targetCurrency: instructed.currency, rate: '1' };
  const pair = [terms.unitCurrency, terms.targetCurrency];
  if (!pair.includes(debtorCurrency) || !pair.includes(instructed.currency)) {
    throw new AppError(InternationalPaymentErrors.RATE_NOT_FOR_ACCOUNT, { details: [{ path: 'Data.Initiation.ExchangeRateInformation' }] });
  }
  const applied = await rateForExecution(rates, terms, at);
  return { debit: convertAmount(instructed, applied, debtorCurrency), exchangeRate: applied };
}

/**
 * Submits the international payment the PSU authorised, by the rules of every payment under a
 * one-use consent (`submitUnderConsent`: exactly the consented Initiation and Risk, the consent
 * consumed, idempotent). The debtor is debited in its account's currency the converted amount
 * (`debitOf`, exact, half-even to the minor unit); the creditor is outside the bank, so the payment
 * leaves through the clearing account of the debtor's currency (`executeDomesticPayment`). The rate
 * applied is kept with the payment.
 */
export async function submitInternationalPayment(
  deps: SubmitInternationalPaymentDeps,
  submission: DomesticPaymentSubmission,
  now: Date = new Date(),
): Promise<SubmittedInternationalPayment> {
  const consent: Consent = submission.consent;
  const summary = consent.payment;
  const debtorAccountId = consent.accountIds[0];
  let conversion: { instructed: Money; debtorCurrency: string; consentTerms: ExchangeRateTerms | undefined } | undefined;
  if (summary && debtorAccountId && consent.kind === 'international-payment' && submission.consentId === consent.id) {
    const account = await deps.core.getAccount(debtorAccountId);
    if (!account) throw new Error(`the debtor account ${debtorAccountId} of consent ${consent.id} is gone`);
    conversion = { instructed: { amountMinor: summary.amountMinor, currency: summary.currency }, debtorCurrency: account.currency, consentTerms: await findExchangeRate(deps.db, consent.id) };
  }
  const outcome = await submitUnderConsent(
    deps,
    submission,
    { kind: 'international-payment', operation: INTERNATIONAL_PAYMENTS_OPERATION },
    async (trx, consented) => {
      if (!conversion) throw new Error(`consent ${consent.id} has no debit`);
      // The rate is applied only for a new payment: a repeat under the same idempotency key gets the
      // payment it created, even once the consent's rate contract has expired.
      const { debit, exchangeRate } = await debitOf(deps.rates, conversion.instructed, conversion.debtorCurrency, conversion.consentTerms, now);
      // OB InternationalPaymentId: at most 40 characters.
      const id = `pip-${randomUUID()}`;
      await submitPendingPayment(
        trx,
        {
          id,
          kind: 'international-payment',
          consentId: consented.consentId,
          clientId: consented.clientId,
          psuId: consented.psuId,
          debtorAccountId: consented.debtorAccountId,
          debtor: consented.debtor,
          // The creditor is abroad: paid out through clearing even if the identification matches an account here.
          creditorAccountId: null,
          amountMinor: debit.amountMinor,
          currency: debit.currency,
          creditor: { name: consented.summary.creditorName, scheme: consented.summary.creditorScheme, identification: consented.summary.creditorIdentification },
          reference: consented.summary.reference,
          request: submission.request,
          shareRefundAccount: submission.shareRefundAccount,
        },
        now,
        now,
      );
      if (exchangeRate) await saveExchangeRate(trx, id, exchangeRate);
      return id;
    },
    now,
  );
  if (outcome.created) deps.onSubmitted?.(outcome.resourceId);
  const payment = await findPaymentOfKind(deps.db, outcome.resourceId, 'international-payment');
  if (!payment) throw new Error(`payment ${outcome.resourceId} created under an idempotency key is gone`);
  return { payment, exchangeRate: await findExchangeRate(deps.db, payment.id), created: outcome.created };
}
