import type { Consent } from '../../../../modules/consents/index.ts';
import type { DomesticStandingOrder, DomesticStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { paymentTermsOfXs2a, xs2aTransactionStatus, type PaymentProduct, type Xs2aPaymentInitiation } from './xs2a-payment-initiation.ts';

/** `periodicPaymentInitiation_json`: a payment initiation with its rhythm. */
export interface Xs2aPeriodicPaymentInitiation extends Xs2aPaymentInitiation {
  readonly startDate: string;
  readonly endDate?: string;
  readonly executionRule?: string;
  readonly frequency: string;
  readonly dayOfExecution?: string;
  readonly monthsOfExecution?: readonly string[];
}

/** NextGenPSD2 `frequencyCode` → months between payments, for the monthly family. */
const MONTHS: Readonly<Record<string, { months: number; code: string }>> = {
  Monthly: { months: 1, code: 'MNTH' },
  EveryTwoMonths: { months: 2, code: '' },
  Quarterly: { months: 3, code: 'QURT' },
  SemiAnnual: { months: 6, code: 'MIAN' },
  Annual: { months: 12, code: 'YEAR' },
};
/** ISO 20022 `Frequency6Code` of the weekly and daily rhythms (which recur on the start date's weekday). */
const CODES: Readonly<Record<string, string>> = { Daily: 'DAIL', Weekly: 'WEEK', EveryTwoWeeks: 'FRTN' };

const unsupported = (path: string, message: string) => new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message, details: [{ path }] });

/** The rhythm as the payments module reads it: an ISO 20022 frequency code, or a day of every n months. */
function frequencyOf(body: Xs2aPeriodicPaymentInitiation): string {
  if (body.monthsOfExecution !== undefined) throw unsupported('monthsOfExecution', 'monthsOfExecution (MonthlyVariable) is not offered');
  const daily = CODES[body.frequency];
  if (daily) {
    if (body.dayOfExecution !== undefined) throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'dayOfExecution applies to the monthly rhythms', details: [{ path: 'dayOfExecution' }] });
    return daily;
  }
  const monthly = MONTHS[body.frequency];
  if (!monthly) throw unsupported('frequency', `frequency ${body.frequency} is not offered`);
  const day = body.dayOfExecution ?? String(new Date(`${body.startDate}T00:00:00Z`).getUTCDate());
  return `IntrvlMnthDay:${String(monthly.months).padStart(2, '0')}:${day.padStart(2, '0')}`;
}

/**
 * The neutral standing-order terms of a periodic payment: the single payment's parties and amount,
 * every instalment the same, from `startDate` (today or later) until `endDate` if any. Moving a
 * date off a non-working day (`executionRule`) is not offered.
 */
export function standingOrderTermsOfXs2a(product: PaymentProduct, body: Xs2aPeriodicPaymentInitiation, initiatedAt: Date): DomesticStandingOrderTerms {
  const today = initiatedAt.toISOString().slice(0, 10);
  if (body.executionRule !== undefined) throw unsupported('executionRule', 'executionRule is not offered: instalments are made on their dates');
  if (body.startDate < today) throw new AppError(Xs2aErrors.EXECUTION_DATE_INVALID, { message: 'startDate is in the past', details: [{ path: 'startDate' }] });
  if (body.endDate !== undefined && body.endDate < body.startDate) throw new AppError(Xs2aErrors.PERIOD_INVALID, { message: 'endDate is before startDate', details: [{ path: 'endDate' }] });
  const { requestedExecutionDate: _single, ...payment } = body;
  const single = paymentTermsOfXs2a(product, payment);
  return {
    creditor: single.creditor,
    ...(single.debtor ? { debtor: single.debtor } : {}),
    reference: single.reference,
    firstAmount: single.amount,
    // Starting today: the first instalment is due as soon as the order is set up (a second after
    // the initiation, so the same terms come out of the same initiation whenever they are read).
    firstPaymentAt: body.startDate === today ? new Date(initiatedAt.getTime() + 1000) : new Date(`${body.startDate}T00:00:00.000Z`),
    ...(body.endDate ? { finalPaymentAt: new Date(`${body.endDate}T23:59:59.999Z`) } : {}),
    frequency: frequencyOf(body),
  };
}

/** `transactionStatus` of a periodic payment: its order set up is in execution (ACSP) until it ends; stopped by a confirmed cancellation, CANC. */
export function xs2aPeriodicStatus(consent: Pick<Consent, 'status' | 'revokedBy'>, order: Pick<DomesticStandingOrder, 'status'> | undefined): string {
  if (order) return { pending: 'ACTC', 'set-up': 'ACSP', failed: 'RJCT', cancelled: 'CANC' }[order.status];
  return xs2aTransactionStatus(consent, undefined);
}
