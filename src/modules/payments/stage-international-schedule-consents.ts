import type { Consent } from '../consents/index.ts';
import { checkIdempotencyKey } from '../idempotency/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { InternationalStandingOrderTerms } from './international-payment-model.ts';
import { PaymentScheduleErrors } from './payment-schedule.errors.ts';
import {
  debtorCurrencyOf,
  stageConsentWithExchangeRate,
  type NewInternationalPaymentConsent,
  type StageInternationalPaymentConsentDeps,
  type StagedInternationalPaymentConsent,
} from './stage-international-payment-consent.ts';
import type { StagedRequest } from './stage-domestic-payment-consent.ts';
import { stagePaymentOrderConsent, standingOrderSummaryOf, type StagePaymentScheduleDeps } from './stage-scheduled-payment-consents.ts';

/** Idempotency scopes of the two consent POSTs. */
export const INTERNATIONAL_SCHEDULED_PAYMENT_CONSENTS_OPERATION = 'international-scheduled-payment-consents';
export const INTERNATIONAL_STANDING_ORDER_CONSENTS_OPERATION = 'international-standing-order-consents';

export interface NewInternationalScheduledPaymentConsent extends NewInternationalPaymentConsent {
  /** The date the debtor's account is to be debited (OB `RequestedExecutionDateTime`). */
  readonly requestedExecutionAt: Date;
}

export interface NewInternationalStandingOrderConsent extends StagedRequest {
  readonly terms: InternationalStandingOrderTerms;
}

/**
 * Stages an international scheduled-payment consent: an execution date still to come (as
 * `stageDomesticScheduledPaymentConsent`), then as an international payment consent
 * (`stageInternationalPaymentConsent`: the rate settled now, kept with the consent). The rate the
 * payment applies is settled when it executes (`executeInternationalScheduledPayment`).
 */
export async function stageInternationalScheduledPaymentConsent(
  deps: StageInternationalPaymentConsentDeps,
  input: NewInternationalScheduledPaymentConsent,
  now: Date = new Date(),
): Promise<StagedInternationalPaymentConsent> {
  checkIdempotencyKey(input.idempotencyKey);
  if (input.requestedExecutionAt <= now) throw new AppError(PaymentScheduleErrors.EXECUTION_DATE_IN_PAST, { details: [{ field: 'instruction.schedule.execute-at' }] });
  return stageConsentWithExchangeRate(
    deps,
    input,
    { kind: 'international-scheduled-payment', operation: INTERNATIONAL_SCHEDULED_PAYMENT_CONSENTS_OPERATION, schedule: { firstPaymentAt: input.requestedExecutionAt } },
    now,
  );
}

/**
 * Stages an international standing-order consent: the amount in the currency of transfer or the
 * debtor account's (as `stageInternationalPaymentConsent` accepts it), the schedule checked as a
 * domestic order's (`standingOrderSummaryOf`). OB v4.0 gives the order no
 * `ExchangeRateInformation`: no rate is agreed, each instalment is converted at the bank's rate
 * when it runs. The PSU is shown the instructed amount and the schedule.
 */
export async function stageInternationalStandingOrderConsent(deps: StagePaymentScheduleDeps & Pick<StageInternationalPaymentConsentDeps, 'core'>, input: NewInternationalStandingOrderConsent, now: Date = new Date()): Promise<Consent> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const { terms } = input;
  const payment = { ...(await standingOrderSummaryOf(deps.core, terms, 'instruction.amount', now)), currencyOfTransfer: terms.currencyOfTransfer };
  await debtorCurrencyOf(deps.core, payment.debtorAccountId, payment.currency, terms.currencyOfTransfer);
  return stagePaymentOrderConsent(deps, input, key, INTERNATIONAL_STANDING_ORDER_CONSENTS_OPERATION, 'international-standing-order', payment, now);
}
