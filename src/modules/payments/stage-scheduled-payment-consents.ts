import { isSupportedCurrency, parsePositiveAmount, type CoreBanking } from '../../core/index.ts';
import { AppError, type AmountRef } from '../../platform/errors/index.ts';
import type { Consent } from '../consents/index.ts';
import { checkIdempotencyKey } from '../idempotency/index.ts';
import type { BusinessDayRule } from './business-days.ts';
import type { PaymentConsentKind } from './payment-consents.ts';
import type { DomesticPaymentTerms } from './payment-model.ts';
import { PaymentErrors } from './payments.errors.ts';
import { PaymentScheduleErrors } from './payment-schedule.errors.ts';
import { paymentSummaryOf, type StagedRequest } from './stage-domestic-payment-consent.ts';
import { parseStandingOrderFrequency } from './standing-order-frequency.ts';
import type { PaymentStores } from './payment-stores.ts';

export interface StagePaymentScheduleDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'findAccountByIdentifier'>;
}

export interface NewDomesticScheduledPaymentConsent extends StagedRequest {
  readonly terms: DomesticPaymentTerms;
  /** The date the debtor's account is to be debited (OB `RequestedExecutionDateTime`). */
  readonly requestedExecutionAt: Date;
}

/** The standing order's terms in neutral form, amounts as sent (decimal strings). */
export interface DomesticStandingOrderTerms {
  readonly creditor: DomesticPaymentTerms['creditor'];
  readonly debtor?: DomesticPaymentTerms['debtor'];
  readonly reference: string | null;
  readonly firstAmount: { readonly decimal: string; readonly currency: string };
  readonly recurringAmount?: { readonly decimal: string; readonly currency: string } | undefined;
  readonly finalAmount?: { readonly decimal: string; readonly currency: string } | undefined;
  readonly firstPaymentAt: Date;
  readonly recurringPaymentAt?: Date | undefined;
  readonly finalPaymentAt?: Date | undefined;
  /** As sent (OB `NumberOfPayments` is a string). */
  readonly numberOfPayments?: string | undefined;
  readonly frequency: string;
  /** A date that is not a business day: paid on the next or previous one (`StandingOrderSchedule.businessDayRule`); absent, on the date. */
  readonly businessDayRule?: BusinessDayRule | undefined;
}

export interface NewDomesticStandingOrderConsent extends StagedRequest {
  readonly terms: DomesticStandingOrderTerms;
}

/** Idempotency scopes of the two consent POSTs. */
export const DOMESTIC_SCHEDULED_PAYMENT_CONSENTS_OPERATION = 'domestic-scheduled-payment-consents';
export const DOMESTIC_STANDING_ORDER_CONSENTS_OPERATION = 'domestic-standing-order-consents';

/**
 * Stages a domestic scheduled-payment consent, as `stageDomesticPaymentConsent` does a single
 * payment's, after checking that its execution date is still to come: a date already past is
 * refused here, before the PSU is asked to authorise something the bank would run late.
 */
export async function stageDomesticScheduledPaymentConsent(deps: StagePaymentScheduleDeps, input: NewDomesticScheduledPaymentConsent, now: Date = new Date()): Promise<Consent> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  if (input.requestedExecutionAt <= now) throw new AppError(PaymentScheduleErrors.EXECUTION_DATE_IN_PAST, { details: [{ field: 'instruction.schedule.execute-at' }] });
  // The PSU is shown, and authenticates, the date with the payment.
  const payment = { ...(await paymentSummaryOf(deps.core, input.terms)), schedule: { firstPaymentAt: input.requestedExecutionAt } };
  return stagePaymentOrderConsent(deps, input, key, input.idempotencyScope ?? DOMESTIC_SCHEDULED_PAYMENT_CONSENTS_OPERATION, 'domestic-scheduled-payment', payment, now);
}

/**
 * Stages a domestic standing-order consent: the amounts (one currency), the dates (first still to
 * come, the others after it), the count and the frequency (one the bank can run:
 * `parseStandingOrderFrequency`) are checked; the PSU is shown the first payment and the schedule.
 */
export async function stageDomesticStandingOrderConsent(deps: StagePaymentScheduleDeps, input: NewDomesticStandingOrderConsent, now: Date = new Date()): Promise<Consent> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const payment = await standingOrderSummaryOf(deps.core, input.terms, 'instruction.schedule.first-amount', now);
  return stagePaymentOrderConsent(deps, input, key, DOMESTIC_STANDING_ORDER_CONSENTS_OPERATION, 'domestic-standing-order', payment, now);
}

/**
 * The checks of a standing order's terms (as `stageDomesticStandingOrderConsent` lists them), and
 * what the PSU is shown and authenticates: the first payment and the schedule. `firstAmountField` names the first
 * amount (a standing order's first payment; an international order's instructed amount).
 */
export async function standingOrderSummaryOf(
  core: StagePaymentScheduleDeps['core'],
  terms: DomesticStandingOrderTerms,
  firstAmountField: AmountRef,
  now: Date,
): Promise<Awaited<ReturnType<typeof paymentSummaryOf>>> {
  const first = amountOf(terms.firstAmount, firstAmountField);
  for (const [amount, field] of [
    [terms.recurringAmount, 'instruction.schedule.recurring-amount'],
    [terms.finalAmount, 'instruction.schedule.final-amount'],
  ] as const) {
    if (!amount) continue;
    if (amount.currency !== terms.firstAmount.currency) throw new AppError(PaymentScheduleErrors.CURRENCIES_DIFFER, { details: [{ field: `${field}.currency` }] });
    amountOf(amount, field);
  }
  if (terms.firstPaymentAt <= now) throw new AppError(PaymentScheduleErrors.FIRST_PAYMENT_IN_PAST, { details: [{ field: 'instruction.schedule.first-date' }] });
  if (terms.recurringPaymentAt && terms.recurringPaymentAt <= terms.firstPaymentAt) {
    throw new AppError(PaymentScheduleErrors.DATES_OUT_OF_ORDER, { details: [{ field: 'instruction.schedule.recurring-date' }] });
  }
  if (terms.finalPaymentAt && terms.finalPaymentAt < terms.firstPaymentAt) throw new AppError(PaymentScheduleErrors.DATES_OUT_OF_ORDER, { details: [{ field: 'instruction.schedule.final-date' }] });
  if (terms.numberOfPayments !== undefined && !/^[1-9]\d{0,5}$/.test(terms.numberOfPayments)) {
    throw new AppError(PaymentScheduleErrors.NUMBER_OF_PAYMENTS_INVALID, { details: [{ field: 'instruction.schedule.count' }] });
  }
  if (!parseStandingOrderFrequency(terms.frequency, terms.firstPaymentAt)) throw new AppError(PaymentScheduleErrors.FREQUENCY_UNSUPPORTED, { details: [{ field: 'instruction.schedule.frequency' }] });
  const payment = await paymentSummaryOf(core, { amount: { decimal: terms.firstAmount.decimal, currency: terms.firstAmount.currency }, creditor: terms.creditor, debtor: terms.debtor, reference: terms.reference });
  if (payment.amountMinor !== first) throw new Error('the first payment amount was read two ways');
  const schedule = {
    firstPaymentAt: terms.firstPaymentAt,
    frequency: terms.frequency,
    numberOfPayments: terms.numberOfPayments === undefined ? null : Number(terms.numberOfPayments),
    finalPaymentAt: terms.finalPaymentAt ?? null,
    ...(terms.businessDayRule ? { businessDayRule: terms.businessDayRule } : {}),
  };
  return { ...payment, schedule };
}

function amountOf(amount: { decimal: string; currency: string }, field: AmountRef): bigint {
  if (!isSupportedCurrency(amount.currency)) throw new AppError(PaymentErrors.CURRENCY_UNSUPPORTED, { details: [{ field: `${field}.currency` }] });
  const minor = parsePositiveAmount(amount.decimal, amount.currency);
  if (minor === undefined) throw new AppError(PaymentErrors.AMOUNT_INVALID, { details: [{ field: `${field}.value` }] });
  return minor;
}

/** Stores a payment-order consent of `kind` under the TPP's idempotency key (`operation` its scope). */
export async function stagePaymentOrderConsent(
  deps: Pick<StagePaymentScheduleDeps, 'idempotency' | 'consents'>,
  input: StagedRequest,
  key: string,
  operation: string,
  kind: PaymentConsentKind,
  payment: Awaited<ReturnType<typeof paymentSummaryOf>>,
  now: Date,
): Promise<Consent> {
  const outcome = await deps.idempotency.withIdempotency(
    { clientId: input.clientId, operation, key, requestHash: input.requestHash, alongside: input.alongside },
    async (tx) => deps.consents.insert(tx, { kind, clientId: input.clientId, payment }, now),
    now,
  );
  const consent = await deps.consents.find(outcome.resourceId, now);
  if (!consent) throw new Error(`consent ${outcome.resourceId} created under an idempotency key is gone`);
  return consent;
}
