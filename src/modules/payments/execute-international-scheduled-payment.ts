import { rateForExecution, type ExchangeRates, type ExchangeRateTerms } from '../../core/fx/index.ts';
import { txContextOf, type TxContext } from '../../platform/db/index.ts';
import { isAppError } from '../../platform/errors/index.ts';
import { PermanentJobError, type TransactionalJobHandler } from '../../platform/scheduler/index.ts';
import { debitOf } from './submit-international-payment.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { PaymentStores } from './payment-stores.ts';
import { sendToCoreJob, type DomesticPaymentExecutionPayload } from './send-to-core-job.ts';

/** What an international scheduled payment's conversion works with. */
export type ConversionStores = Pick<PaymentStores, 'payments' | 'outbox' | 'consents'>;

/** The durable job that executes one international scheduled payment at its date (src/platform/scheduler). */
export const EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB = 'payments.execute-international-scheduled-payment';

/**
 * The scheduler handler of EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB. Transactional: the
 * conversion, the payment's execution job and this job's completion commit together or not at all.
 */
export function internationalScheduledPaymentExecution(stores: ConversionStores, rates: ExchangeRates): TransactionalJobHandler<DomesticPaymentExecutionPayload> {
  return {
    transactional: true,
    async run(job, trx) {
      const executed = await executeInternationalScheduledPayment(stores, txContextOf(trx), rates, job.payload.paymentId, job.claimedAt);
      if (!executed) throw new PermanentJobError(`no international scheduled payment ${job.payload.paymentId}`);
    },
  };
}

/**
 * The rate an international scheduled payment applies when it executes at `at`: the consent's
 * Actual or Agreed rate while its contract stands (known to the rate source, not expired), else —
 * and for an Indicative consent — the bank's rate at `at` (`rateForExecution`).
 */
export async function termsAtExecution(rates: ExchangeRates, consentTerms: ExchangeRateTerms | undefined, at: Date): Promise<ExchangeRateTerms | undefined> {
  if (!consentTerms || consentTerms.rateType === 'Indicative') return consentTerms;
  try {
    return await rateForExecution(rates, consentTerms, at);
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
  return { rateType: 'Indicative', unitCurrency: consentTerms.unitCurrency, targetCurrency: consentTerms.targetCurrency, rate: consentTerms.rate };
}

/**
 * Converts a Pending international scheduled payment exactly once, inside the caller's transaction,
 * and schedules its execution. The payment row is locked first, so concurrent runs queue and the
 * later ones find it converted. The consent's instructed amount is converted into the debtor
 * account's currency at the rate applicable now (`termsAtExecution`, exact, half-even), the debit
 * and the rate are kept with the payment, and it executes through the core as any payment
 * (`executeDomesticPayment`: out of the bank, to the payment scheme). Returns the payment as it now
 * is, or undefined when there is none.
 */
export async function executeInternationalScheduledPayment(
  stores: ConversionStores,
  tx: TxContext,
  rates: ExchangeRates,
  paymentId: string,
  now: Date = new Date(),
): Promise<DomesticPayment | undefined> {
  const locked = await stores.payments.lock(tx, paymentId);
  if (!locked) return undefined;
  const { payment } = locked;
  if (payment.status !== 'pending' || locked.sentToCoreAt !== null) return payment;
  const consent = await stores.consents.find(payment.consentId, now, tx);
  if (!consent?.payment) throw new Error(`the consent ${payment.consentId} of payment ${paymentId} has no payment`);
  const instructed = { amountMinor: consent.payment.amountMinor, currency: consent.payment.currency };
  // The pending row holds the debit expected at submission, in the debtor account's currency.
  const terms = await termsAtExecution(rates, await stores.payments.findExchangeRate(consent.id, tx), now);
  const { debit, exchangeRate } = await debitOf(rates, instructed, payment.amount.currency, terms, now, consent.payment.currencyOfTransfer ?? instructed.currency);
  if (exchangeRate) await stores.payments.saveExchangeRate(tx, paymentId, exchangeRate);
  await stores.outbox.schedule(tx, sendToCoreJob(paymentId, now), now);
  // Handed over with its debit: a repeat of this step finds it converted (the execution job marks it SentToCore too).
  return stores.payments.recordConversion(tx, paymentId, debit.amountMinor, now);
}
