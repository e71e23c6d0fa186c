import type { Consent } from '../../../../modules/consents/index.ts';
import { firstStandingOrderDate, monthsInYearFrequency, parseStandingOrderFrequency, type DomesticStandingOrder, type DomesticStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { paymentTermsOfXs2a, xs2aTransactionStatus, type PaymentProduct, type Xs2aPaymentInitiation } from './xs2a-payment-initiation.ts';
import { utcDayOf } from '../../../../platform/calendar/index.ts';

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
const MONTHS: Readonly<Record<string, number>> = { Monthly: 1, EveryTwoMonths: 2, Quarterly: 3, SemiAnnual: 6, Annual: 12 };
/** ISO 20022 `Frequency6Code` of the weekly and daily rhythms (which recur on the start date's weekday). */
const CODES: Readonly<Record<string, string>> = { Daily: 'DAIL', Weekly: 'WEEK', EveryTwoWeeks: 'FRTN' };

const unsupported = (path: string, message: string) => new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message, details: [{ path }] });
const inconsistent = (path: string, message: string) => new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message, details: [{ path }] });

/**
 * The rhythm as the payments module reads it: an ISO 20022 frequency code (the weekly and daily
 * rhythms), a day of every n months, or a day in the months listed (`MonthlyVariable`). The day is
 * `dayOfExecution` (31: the month's last day, as is 29 or 30 in a shorter month), else the start
 * date's.
 */
function frequencyOf(body: Xs2aPeriodicPaymentInitiation): string {
  // monthsOfExecution "is contained if and only if the frequency equals MonthlyVariable" (v1.3.12).
  if (body.frequency === 'MonthlyVariable' && body.monthsOfExecution === undefined) throw inconsistent('monthsOfExecution', 'MonthlyVariable needs monthsOfExecution');
  if (body.frequency !== 'MonthlyVariable' && body.monthsOfExecution !== undefined) throw inconsistent('monthsOfExecution', 'monthsOfExecution applies to MonthlyVariable only');
  const daily = CODES[body.frequency];
  if (daily) {
    if (body.dayOfExecution !== undefined) throw inconsistent('dayOfExecution', 'dayOfExecution applies to the monthly rhythms');
    return daily;
  }
  const day = Number(body.dayOfExecution ?? new Date(`${body.startDate}T00:00:00Z`).getUTCDate());
  if (body.monthsOfExecution !== undefined) {
    const months = body.monthsOfExecution.map(Number);
    if (months.length === 0) throw inconsistent('monthsOfExecution', 'monthsOfExecution names no month');
    if (new Set(months).size !== months.length) throw inconsistent('monthsOfExecution', 'monthsOfExecution names a month twice');
    return monthsInYearFrequency(months, day);
  }
  const months = MONTHS[body.frequency];
  if (!months) throw unsupported('frequency', `frequency ${body.frequency} is not offered`);
  return `IntrvlMnthDay:${String(months).padStart(2, '0')}:${String(day).padStart(2, '0')}`;
}

/**
 * The neutral standing-order terms of a periodic payment: the single payment's parties and amount,
 * every instalment the same, from the first day on or after `startDate` (today or later) that the
 * rhythm names until `endDate` if any (the last day an instalment may be due on). `executionRule`
 * is the order's business-day rule: an instalment due on a weekend or bank holiday is paid on the
 * next (`following`) or previous (`preceding`) business day, the rhythm counted from the due dates.
 */
export function standingOrderTermsOfXs2a(product: PaymentProduct, body: Xs2aPeriodicPaymentInitiation, initiatedAt: Date): DomesticStandingOrderTerms {
  const today = utcDayOf(initiatedAt);
  if (body.startDate < today) throw new AppError(Xs2aErrors.EXECUTION_DATE_INVALID, { message: 'startDate is in the past', details: [{ path: 'startDate' }] });
  if (body.endDate !== undefined && body.endDate < body.startDate) throw new AppError(Xs2aErrors.PERIOD_INVALID, { message: 'endDate is before startDate', details: [{ path: 'endDate' }] });
  const { requestedExecutionDate: _single, ...payment } = body;
  const single = paymentTermsOfXs2a(product, payment);
  const frequency = frequencyOf(body);
  const start = new Date(`${body.startDate}T00:00:00.000Z`);
  const rhythm = parseStandingOrderFrequency(frequency, start);
  if (!rhythm) throw new Error(`the facade made a frequency the payments module cannot run: ${frequency}`);
  const first = firstStandingOrderDate(rhythm, start);
  if (body.endDate !== undefined && utcDayOf(first) > body.endDate) throw new AppError(Xs2aErrors.PERIOD_INVALID, { message: 'No day of the rhythm falls between startDate and endDate', details: [{ path: 'endDate' }] });
  return {
    creditor: single.creditor,
    ...(single.debtor ? { debtor: single.debtor } : {}),
    reference: single.reference,
    firstAmount: single.amount,
    // Due today: the first instalment is due as soon as the order is set up (a second after the
    // initiation, so the same terms come out of the same initiation whenever they are read).
    firstPaymentAt: first.getTime() === Date.parse(`${today}T00:00:00.000Z`) ? new Date(initiatedAt.getTime() + 1000) : first,
    ...(body.endDate ? { finalPaymentAt: new Date(`${body.endDate}T23:59:59.999Z`) } : {}),
    frequency,
    ...(body.executionRule === 'following' || body.executionRule === 'preceding' ? { businessDayRule: body.executionRule } : {}),
  };
}

/** `transactionStatus` of a periodic payment: its order set up is in execution (ACSP) until it ends; stopped by a confirmed cancellation, CANC. */
export function xs2aPeriodicStatus(consent: Pick<Consent, 'status' | 'revokedBy'>, order: Pick<DomesticStandingOrder, 'status'> | undefined): string {
  if (order) return { pending: 'ACTC', 'set-up': 'ACSP', failed: 'RJCT', cancelled: 'CANC' }[order.status];
  return xs2aTransactionStatus(consent, undefined);
}
