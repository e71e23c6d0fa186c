import type { PaymentSchedule } from '../../modules/consents/index.ts';
import { parseStandingOrderFrequency, type StandingOrderFrequency } from '../../modules/payments/index.ts';

// The bank runs schedules in UTC (src/modules/payments/standing-order-frequency.ts): dates are shown so.
const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const weekday = (isoDay: number) => WEEKDAYS[isoDay - 1] ?? `day ${isoDay}`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const listed = (words: readonly string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`);

/** What an order does with a date that is not a business day, in a customer's words. */
const MOVED = { following: '; a date on a weekend or bank holiday is paid on the next business day', preceding: '; a date on a weekend or bank holiday is paid on the business day before' } as const;

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** A standing-order frequency in a customer's words, e.g. "every week on Wednesday", "every month on the 15th". */
function rhythmText(frequency: StandingOrderFrequency): string {
  switch (frequency.kind) {
    case 'EvryDay':
      return 'every day';
    case 'EvryWorkgDay':
      return 'every working day (Monday to Friday)';
    case 'IntrvlDay':
      return `every ${frequency.days} days`;
    case 'IntrvlWkDay':
      return `${frequency.weeks === 1 ? 'every week' : `every ${frequency.weeks} weeks`} on ${weekday(frequency.dayInWeek)}`;
    case 'WkInMnthDay':
      return `every month on the ${frequency.weekInMonth === 5 ? 'last' : ordinal(frequency.weekInMonth)} ${weekday(frequency.dayInWeek)}`;
    case 'IntrvlMnthDay': {
      const every = frequency.months === 1 ? 'every month' : `every ${frequency.months} months`;
      const on = frequency.dayInMonth > 0 ? `the ${ordinal(frequency.dayInMonth)}` : frequency.dayInMonth === -1 ? 'the last day' : `the ${ordinal(-frequency.dayInMonth)} last day`;
      return `${every} on ${on}`;
    }
    case 'QtrDay':
      return `on the ${frequency.quarter.toLowerCase()} quarter days`;
    case 'MnthsInYrDay':
      return `every year in ${listed(frequency.months.map((month) => MONTHS[month - 1] ?? `month ${month}`))} on the ${frequency.dayInMonth === 31 ? 'last day' : ordinal(frequency.dayInMonth)}`;
  }
}

/**
 * When a scheduled payment or standing order pays, as the consent page states it (and the PSU's
 * code confirms): "On 2 December 2026", or "Every day from 2 December 2026, 3 payments".
 */
export function paymentScheduleText(schedule: PaymentSchedule): string {
  if (schedule.frequency === undefined) return `On ${day(schedule.firstPaymentAt)}`;
  const frequency = parseStandingOrderFrequency(schedule.frequency, schedule.firstPaymentAt);
  const rhythm = frequency ? rhythmText(frequency) : schedule.frequency;
  const count = schedule.numberOfPayments ? `, ${schedule.numberOfPayments} ${schedule.numberOfPayments === 1 ? 'payment' : 'payments'}` : '';
  const until = schedule.finalPaymentAt ? `, the last on or before ${day(schedule.finalPaymentAt)}` : '';
  const end = count || until ? '' : ', with no end date';
  const moved = schedule.businessDayRule ? MOVED[schedule.businessDayRule] : '';
  return `${rhythm.charAt(0).toUpperCase()}${rhythm.slice(1)} from ${day(schedule.firstPaymentAt)}${count}${until}${end}${moved}`;
}
