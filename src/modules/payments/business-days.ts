import { addDays } from 'date-fns';
import { plainDate, UTC, utcDayOf } from '../../platform/calendar/index.ts';

/**
 * What happens to a payment order's date that is not a business day: paid on the next business
 * day (`following`) or on the one before (`preceding`). No rule: paid on the date itself.
 */
export type BusinessDayRule = 'following' | 'preceding';

/** The bank's days off besides Saturdays and Sundays. */
export interface BankHolidays {
  /** The TARGET2 closing days (the euro's settlement days): 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December. */
  readonly target2: boolean;
  /** Further days off, `YYYY-MM-DD` (UTC). */
  readonly dates: readonly string[];
}

/** The bank's business days (UTC): Monday to Friday, except its holidays. */
export interface BusinessCalendar {
  isBusinessDay(date: Date): boolean;
}

/** No holidays: Monday to Friday. */
export const WEEKDAYS_ONLY: BankHolidays = { target2: false, dates: [] };

/**
 * Easter Sunday of a Gregorian year, as `[month (1-based), day]`: the anonymous Gregorian computus
 * (Meeus, Astronomical Algorithms, ch. 8), the date the TARGET2 calendar's Good Friday and Easter
 * Monday hang on.
 */
export function easterSunday(year: number): readonly [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

/** The TARGET2 closing days of `year`, `YYYY-MM-DD`. */
export function target2ClosingDays(year: number): string[] {
  const [month, day] = easterSunday(year);
  const easter = Date.UTC(year, month - 1, day);
  const DAY = 86_400_000;
  return [`${year}-01-01`, utcDayOf(easter - 2 * DAY), utcDayOf(easter + DAY), `${year}-05-01`, `${year}-12-25`, `${year}-12-26`];
}

/** The bank's calendar with these holidays. */
export function businessCalendar(holidays: BankHolidays): BusinessCalendar {
  const listed = new Set(holidays.dates);
  const target2 = new Map<number, Set<string>>();
  const isTarget2Holiday = (date: Date) => {
    const year = date.getUTCFullYear();
    let days = target2.get(year);
    if (!days) target2.set(year, (days = new Set(target2ClosingDays(year))));
    return days.has(utcDayOf(date));
  };
  return {
    isBusinessDay(date) {
      const weekday = date.getUTCDay();
      if (weekday === 0 || weekday === 6) return false;
      if (listed.has(utcDayOf(date))) return false;
      return !(holidays.target2 && isTarget2Holiday(date));
    },
  };
}

/** A run of days off is never this long; a calendar that says otherwise is broken. */
const MAX_DAYS_OFF = 31;

/**
 * The date an order pays on: `at` itself when it is a business day or there is no rule, else the
 * next (`following`) or previous (`preceding`) business day, at the same time of day.
 */
export function businessDayOf(at: Date, rule: BusinessDayRule | null, calendar: BusinessCalendar): Date {
  if (rule === null) return at;
  const step = rule === 'following' ? 1 : -1;
  let day = at;
  for (let moved = 0; !calendar.isBusinessDay(day); moved += 1) {
    if (moved === MAX_DAYS_OFF) throw new Error(`no business day within ${MAX_DAYS_OFF} days of ${at.toISOString()}`);
    day = plainDate(addDays(day, step, UTC));
  }
  return day;
}
