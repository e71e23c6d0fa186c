import { addDays, addMonths, addWeeks, getISODay, setDate } from 'date-fns';
import { clampedMonthDay, plainDate, rfcWeekday, RRule, RRuleSet, UTC, WORKING_DAYS, type RecurrenceRule } from '../../platform/calendar/index.ts';

/**
 * Standing-order frequencies: a parser of the OB v4.0 `Frequency_1` pattern syntax (and the
 * `OBFrequency6Code` codes that name a fixed calendar rhythm) and a pure next-date calculator over
 * RFC 5545 recurrence rules.
 * All dates are UTC; the time of day of the previous instalment is kept. `EvryWorkgDay` is Monday
 * to Friday; moving an instalment off the bank's days off is the order's business-day rule
 * (business-days.ts), applied to these dates.
 */
export type StandingOrderFrequency =
  | { readonly kind: 'EvryDay' }
  | { readonly kind: 'EvryWorkgDay' }
  | { readonly kind: 'IntrvlDay'; readonly days: number }
  /** `dayInWeek` 1 = Monday … 7 = Sunday (ISO 8601). */
  | { readonly kind: 'IntrvlWkDay'; readonly weeks: number; readonly dayInWeek: number }
  /** `weekInMonth` 1–5; 5 is the last such weekday of the month when a month has only four. */
  | { readonly kind: 'WkInMnthDay'; readonly weekInMonth: number; readonly dayInWeek: number }
  /** `dayInMonth` 1–31 (clamped to the month's last day) or −1…−5 (counted back from the last day, −1 the last). */
  | { readonly kind: 'IntrvlMnthDay'; readonly months: number; readonly dayInMonth: number }
  | { readonly kind: 'QtrDay'; readonly quarter: 'ENGLISH' | 'SCOTTISH' | 'RECEIVED' }
  /** The bank's own: a day of the month (1–31, clamped to the month's last day) in each of the months listed (1–12). */
  | { readonly kind: 'MnthsInYrDay'; readonly months: readonly number[]; readonly dayInMonth: number };

/** OB v4.0 `Frequency_1`, each alternative of its official regular expression. */
const PATTERNS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => StandingOrderFrequency]> = [
  [/^EvryDay$/, () => ({ kind: 'EvryDay' })],
  [/^EvryWorkgDay$/, () => ({ kind: 'EvryWorkgDay' })],
  [/^IntrvlDay:((?:0[2-9])|(?:[1-2][0-9])|3[0-1])$/, (m) => ({ kind: 'IntrvlDay', days: Number(m[1]) })],
  [/^IntrvlWkDay:(0[1-9]):(0[1-7])$/, (m) => ({ kind: 'IntrvlWkDay', weeks: Number(m[1]), dayInWeek: Number(m[2]) })],
  [/^WkInMnthDay:(0[1-5]):(0[1-7])$/, (m) => ({ kind: 'WkInMnthDay', weekInMonth: Number(m[1]), dayInWeek: Number(m[2]) })],
  [/^IntrvlMnthDay:(0[1-6]|12|24):(-0[1-5]|0[1-9]|[12][0-9]|3[01])$/, (m) => ({ kind: 'IntrvlMnthDay', months: Number(m[1]), dayInMonth: Number(m[2]) })],
  [/^QtrDay:(ENGLISH|SCOTTISH|RECEIVED)$/, (m) => ({ kind: 'QtrDay', quarter: m[1] as 'ENGLISH' | 'SCOTTISH' | 'RECEIVED' })],
];

/**
 * The bank's own pattern for a rhythm OB has no word for, outside the `Frequency_1` syntax (so no
 * OB request can name it): the day of the month in the months listed, ascending and each once,
 * e.g. `MnthsInYrDay:01,04,10:15` (NextGenPSD2 `MonthlyVariable`).
 */
const MONTHS_IN_YEAR = /^MnthsInYrDay:((?:0[1-9]|1[0-2])(?:,(?:0[1-9]|1[0-2])){0,11}):(0[1-9]|[12][0-9]|3[01])$/;

/** The `MnthsInYrDay` pattern of these months (1–12) and day of the month. */
export function monthsInYearFrequency(months: readonly number[], dayInMonth: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `MnthsInYrDay:${[...months].sort((a, b) => a - b).map(two).join(',')}:${two(dayInMonth)}`;
}

function parseMonthsInYear(type: string): StandingOrderFrequency | undefined {
  const match = MONTHS_IN_YEAR.exec(type);
  if (!match) return undefined;
  const months = match[1]!.split(',').map(Number);
  if (months.some((month, i) => i > 0 && month <= months[i - 1]!)) return undefined;
  return { kind: 'MnthsInYrDay', months, dayInMonth: Number(match[2]) };
}

const isoWeekday = (date: Date): number => getISODay(date, UTC);

/**
 * The frequency a `Type` names, or undefined when the bank cannot run it (`NotKnown`, ad hoc,
 * intraday, the several-per-month codes, anything malformed). `first` is the first payment date:
 * the `OBFrequency6Code` codes (`DAIL`, `WEEK`, `FRTN`, `MNTH`, `QURT`, `MIAN`, `YEAR`) recur on its
 * weekday or day of the month.
 */
export function parseStandingOrderFrequency(type: string, first: Date): StandingOrderFrequency | undefined {
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(type);
    if (match) return build(match);
  }
  const monthsInYear = parseMonthsInYear(type);
  if (monthsInYear) return monthsInYear;
  const dayInMonth = first.getUTCDate();
  switch (type) {
    case 'DAIL':
      return { kind: 'EvryDay' };
    case 'WEEK':
      return { kind: 'IntrvlWkDay', weeks: 1, dayInWeek: isoWeekday(first) };
    case 'FRTN':
      return { kind: 'IntrvlWkDay', weeks: 2, dayInWeek: isoWeekday(first) };
    case 'MNTH':
      return { kind: 'IntrvlMnthDay', months: 1, dayInMonth };
    case 'QURT':
      return { kind: 'IntrvlMnthDay', months: 3, dayInMonth };
    case 'MIAN':
      return { kind: 'IntrvlMnthDay', months: 6, dayInMonth };
    case 'YEAR':
      return { kind: 'IntrvlMnthDay', months: 12, dayInMonth };
    default:
      return undefined;
  }
}

/** The rule of each frequency's days, the time of day taken from `dtstart` (RFC 5545 §3.3.10). */
function patternOf(frequency: StandingOrderFrequency, dtstart: Date): RecurrenceRule {
  const base = { dtstart, wkst: RRule.MO };
  switch (frequency.kind) {
    case 'EvryDay':
    case 'IntrvlDay':
      return new RRule({ ...base, freq: RRule.DAILY });
    case 'EvryWorkgDay':
      return new RRule({ ...base, freq: RRule.DAILY, byweekday: [...WORKING_DAYS] });
    case 'IntrvlWkDay':
      return new RRule({ ...base, freq: RRule.WEEKLY, byweekday: [rfcWeekday(frequency.dayInWeek)] });
    case 'WkInMnthDay': {
      // The fifth such weekday, when a month has only four, is its last one: RFC 5545 "-1".
      const nth = frequency.weekInMonth === 5 ? -1 : frequency.weekInMonth;
      return new RRule({ ...base, freq: RRule.MONTHLY, byweekday: [rfcWeekday(frequency.dayInWeek).nth(nth)] });
    }
    case 'IntrvlMnthDay':
      return new RRule({ ...base, freq: RRule.MONTHLY, ...clampedMonthDay(frequency.dayInMonth) });
    case 'MnthsInYrDay':
      return new RRule({ ...base, freq: RRule.MONTHLY, bymonth: [...frequency.months], ...clampedMonthDay(frequency.dayInMonth) });
    case 'QtrDay': {
      const set = new RRuleSet();
      for (const [month, day] of QUARTER_DAYS[frequency.quarter]) set.rrule(new RRule({ ...base, freq: RRule.YEARLY, bymonth: [month], bymonthday: [day] }));
      return set;
    }
  }
}

/** Quarter days as [month (1-based), day]. */
const QUARTER_DAYS: Record<'ENGLISH' | 'SCOTTISH' | 'RECEIVED', ReadonlyArray<readonly [number, number]>> = {
  ENGLISH: [[3, 25], [6, 24], [9, 29], [12, 25]],
  SCOTTISH: [[2, 2], [5, 15], [8, 1], [11, 11]],
  RECEIVED: [[3, 20], [6, 19], [9, 24], [12, 20]],
};

/**
 * The first date on or after `from` (at its time of day) that the frequency names: a schedule's
 * first instalment when it starts on a date off its rhythm (a monthly order on the 15th starting on
 * the 10th pays first on the 15th).
 */
export function firstStandingOrderDate(frequency: StandingOrderFrequency, from: Date): Date {
  const first = patternOf(frequency, from).after(from, true);
  if (!first) throw new Error(`standing-order frequency ${frequency.kind} names no date from ${from.toISOString()}`);
  return plainDate(first);
}

/**
 * The instalment date after `previous`: the first date strictly after it that the frequency names,
 * then, for the interval rules, the further whole intervals (so a first payment off the pattern is
 * followed by the pattern, and one on it by exactly one interval).
 */
export function nextStandingOrderDate(frequency: StandingOrderFrequency, previous: Date): Date {
  const first = patternOf(frequency, previous).after(previous);
  if (!first) throw new Error(`standing-order frequency ${frequency.kind} names no date after ${previous.toISOString()}`);
  switch (frequency.kind) {
    case 'IntrvlDay':
      return plainDate(addDays(first, frequency.days - 1, UTC));
    case 'IntrvlWkDay':
      return plainDate(addWeeks(first, frequency.weeks - 1, UTC));
    case 'IntrvlMnthDay': {
      // The rule's day of the month `months - 1` later, clamped anew in that month.
      const monthStart = addMonths(setDate(first, 1, UTC), frequency.months - 1, UTC);
      return plainDate(patternOf(frequency, monthStart).after(monthStart, true) ?? monthStart);
    }
    default:
      return first;
  }
}
