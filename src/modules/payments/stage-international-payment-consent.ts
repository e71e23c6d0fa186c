import type { CoreBanking } from '../../core/index.ts';
import { agreeExchangeRate, type ExchangeRates, type ExchangeRateTerms } from '../../core/fx/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent, PaymentSchedule } from '../consents/index.ts';
import { checkIdempotencyKey } from '../idempotency/index.ts';
import { InternationalPaymentErrors } from './international-payment.errors.ts';
import { HOME_CURRENCY, type InternationalPaymentTerms } from './international-payment-model.ts';
import { paymentSummaryOf, type StagedRequest } from './stage-domestic-payment-consent.ts';
import type { PaymentStores } from './payment-stores.ts';

export interface NewInternationalPaymentConsent extends StagedRequest {
  readonly terms: InternationalPaymentTerms;
}

export interface StageInternationalPaymentConsentDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'findAccountByIdentifier' | 'getAccount'>;
  readonly rates: ExchangeRates;
}

export interface StagedInternationalPaymentConsent {
  readonly consent: Consent;
  /** The rate the consent settled (OB `ExchangeRateInformation`); absent when no exchange is needed. */
  readonly exchangeRate: ExchangeRateTerms | undefined;
}

/** Idempotency scope of `POST /international-payment-consents`. */
export const INTERNATIONAL_PAYMENT_CONSENTS_OPERATION = 'international-payment-consents';

/**
 * Stages an international payment consent as `stageDomesticPaymentConsent` stages a domestic one,
 * and settles its exchange rate at creation (src/core/fx `agreeExchangeRate`): `Agreed` must name a
 * contract the bank issued at exactly that rate, `Actual` quotes a guaranteed rate until it expires,
 * `Indicative` (also when the TPP asks for none) quotes for information. The exchange is between
 * `CurrencyOfTransfer` and the debtor account's currency. The instructed amount may be in either
 * (OB v4.0 `InstructedAmount`: "expressed in the currency as ordered by the initiating party"; the
 * OBIE conformance suite's minimal data set instructs it in the debtor's currency, OB-400-DOP-101600):
 * in `CurrencyOfTransfer`, the debtor is debited its conversion; in the debtor's currency, the
 * debtor is debited it as it is and the creditor paid its conversion. While the PSU has not chosen
 * the account, its currency is taken to be the instructed one when that is not `CurrencyOfTransfer`,
 * else the bank's home currency; a submission from an account in a third currency is refused. The
 * terms are kept with the consent, in its transaction.
 */
export async function stageInternationalPaymentConsent(
  deps: StageInternationalPaymentConsentDeps,
  input: NewInternationalPaymentConsent,
  now: Date = new Date(),
): Promise<StagedInternationalPaymentConsent> {
  return stageConsentWithExchangeRate(deps, input, { kind: 'international-payment', operation: INTERNATIONAL_PAYMENT_CONSENTS_OPERATION }, now);
}

/**
 * `stageInternationalPaymentConsent` for a consent of `kind` (an international payment, or an
 * international scheduled payment, whose checks of its own the caller has made, and whose
 * `schedule` the PSU is shown), idempotent under `operation`.
 */
export async function stageConsentWithExchangeRate(
  deps: StageInternationalPaymentConsentDeps,
  input: NewInternationalPaymentConsent,
  of: { readonly kind: 'international-payment' | 'international-scheduled-payment'; readonly operation: string; readonly schedule?: PaymentSchedule | undefined },
  now: Date,
): Promise<StagedInternationalPaymentConsent> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const { terms } = input;
  const payment = { ...(await paymentSummaryOf(deps.core, terms)), currencyOfTransfer: terms.currencyOfTransfer, ...(of.schedule ? { schedule: of.schedule } : {}) };
  const debtorCurrency = await debtorCurrencyOf(deps.core, payment.debtorAccountId, payment.currency, terms.currencyOfTransfer);
  const asked = terms.exchangeRate;
  let exchangeRate: ExchangeRateTerms | undefined;
  if (asked || debtorCurrency !== terms.currencyOfTransfer) {
    const unitCurrency = asked?.unitCurrency ?? debtorCurrency;
    // OB "1GBP = xxxCUR, the unit currency is GBP": the other currency of the pair is the payment's.
    const targetCurrency = unitCurrency === terms.currencyOfTransfer ? debtorCurrency : terms.currencyOfTransfer;
    exchangeRate = await agreeExchangeRate(
      deps.rates,
      { rateType: asked?.rateType ?? 'Indicative', unitCurrency, targetCurrency, exchangeRate: asked?.exchangeRate, contractIdentification: asked?.contractIdentification },
      now,
    );
  }
  const outcome = await deps.idempotency.withIdempotency(
    { clientId: input.clientId, operation: of.operation, key, requestHash: input.requestHash, alongside: input.alongside },
    async (tx) => {
      const id = await deps.consents.insert(tx, { kind: of.kind, clientId: input.clientId, payment }, now);
      if (exchangeRate) await deps.payments.saveExchangeRate(tx, id, exchangeRate);
      return id;
    },
    now,
  );
  const consent = await deps.consents.find(outcome.resourceId, now);
  if (!consent) throw new Error(`consent ${outcome.resourceId} created under an idempotency key is gone`);
  // A repeat answers with the terms the first request settled.
  return { consent, exchangeRate: outcome.created ? exchangeRate : await deps.payments.findExchangeRate(consent.id) };
}

/**
 * The currency of the account a consent pays from: the named debtor account's; while the PSU has
 * not chosen it, the instructed currency when that is not `CurrencyOfTransfer`, else the bank's
 * home currency. The instructed amount must be in it or in `CurrencyOfTransfer` (INSTRUCTED_CURRENCY).
 */
export async function debtorCurrencyOf(
  core: Pick<CoreBanking, 'getAccount'>,
  debtorAccountId: string | null,
  instructedCurrency: string,
  currencyOfTransfer: string,
): Promise<string> {
  const named = debtorAccountId ? (await core.getAccount(debtorAccountId))?.currency : undefined;
  const debtorCurrency = named ?? (instructedCurrency !== currencyOfTransfer ? instructedCurrency : HOME_CURRENCY);
  if (instructedCurrency !== currencyOfTransfer && instructedCurrency !== debtorCurrency) {
    throw new AppError(InternationalPaymentErrors.INSTRUCTED_CURRENCY, { details: [{ field: 'instruction.amount.currency' }] });
  }
  return debtorCurrency;
}
