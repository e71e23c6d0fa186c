import { businessCalendar, businessDayOf, WEEKDAYS_ONLY, type BusinessCalendar } from './business-days.ts';
import type { PaymentStores } from './payment-stores.ts';
import { nextStandingOrderDate, parseStandingOrderFrequency } from './standing-order-frequency.ts';
import type { StandingOrderSchedule } from './standing-order-model.ts';

const MONDAY_TO_FRIDAY = businessCalendar(WEEKDAYS_ONLY);

/** The bank's business days the stores were given, else Monday to Friday. */
export const businessDaysOf = (stores: Pick<PaymentStores, 'businessDays'>): BusinessCalendar => stores.businessDays ?? MONDAY_TO_FRIDAY;

/**
 * The moment an instalment due at `dueAt` is paid: its date, or the business day the order's rule
 * moves it to (at the same time of day). Instalment dates are counted from the due dates, so a
 * moved instalment does not move the ones after it.
 */
export function instalmentPaidAt(schedule: Pick<StandingOrderSchedule, 'businessDayRule'>, dueAt: Date, calendar: BusinessCalendar): Date {
  return businessDayOf(dueAt, schedule.businessDayRule, calendar);
}

/**
 * The date of the instalment after instalment `n` (due at `dueAt`), or undefined when `n` is the
 * last: the count is reached, or the next date would pass the final payment date. Instalment 2 is
 * at `recurringPaymentAt` when the order names one. Pure.
 */
export function nextInstalmentAt(schedule: StandingOrderSchedule, n: number, dueAt: Date): Date | undefined {
  if (schedule.numberOfPayments !== null && n >= schedule.numberOfPayments) return undefined;
  const frequency = parseStandingOrderFrequency(schedule.frequency, schedule.firstPaymentAt);
  if (!frequency) throw new Error(`standing-order frequency ${schedule.frequency} cannot be run`);
  const next = n === 1 && schedule.recurringPaymentAt ? schedule.recurringPaymentAt : nextStandingOrderDate(frequency, dueAt);
  if (schedule.finalPaymentAt && next > schedule.finalPaymentAt) return undefined;
  return next;
}

/** The amount of instalment `n`: the first amount, the final one for the last, else the recurring one. */
export function instalmentAmount(schedule: StandingOrderSchedule, n: number, last: boolean): bigint {
  if (n === 1) return schedule.firstAmountMinor;
  if (last && schedule.finalAmountMinor !== null) return schedule.finalAmountMinor;
  return schedule.recurringAmountMinor ?? schedule.firstAmountMinor;
}
