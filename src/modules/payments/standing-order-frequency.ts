/**
 * Standing-order frequencies: a parser of the OB v4.0 `Frequency_1` pattern syntax (and the
 * `OBFrequency6Code` codes that name a fixed calendar rhythm) and a pure next-date calculator.
 * All dates are UTC; the time of day of the previous instalment is kept. Working days are Monday
 * to Friday (the built-in bank keeps no holiday calendar).
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
  | { readonly kind: 'QtrDay'; readonly quarter: 'ENGLISH' | 'SCOTTISH' | 'RECEIVED' };

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

const DAY_MS = 86_400_000;
const isoWeekday = (date: Date): number => ((date.getUTCDay() + 6) % 7) + 1;

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

/** A date on `year`/`month` (0-based, may overflow) and `day`, at the time of day of `time`. */
function at(year: number, month: number, day: number, time: Date): Date {
  return new Date(Date.UTC(year, month, day, time.getUTCHours(), time.getUTCMinutes(), time.getUTCSeconds(), time.getUTCMilliseconds()));
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The day of month a `IntrvlMnthDay` rule picks in one month. */
function monthDay(year: number, month: number, dayInMonth: number): number {
  const last = daysInMonth(year, month);
  return dayInMonth > 0 ? Math.min(dayInMonth, last) : last + dayInMonth + 1;
}

/** The `weekInMonth`-th `dayInWeek` of a month (the last one when the month has fewer). */
function weekdayInMonth(year: number, month: number, weekInMonth: number, dayInWeek: number): number {
  const firstWeekday = isoWeekday(new Date(Date.UTC(year, month, 1)));
  const firstMatch = 1 + ((dayInWeek - firstWeekday + 7) % 7);
  let day = firstMatch + 7 * (weekInMonth - 1);
  while (day > daysInMonth(year, month)) day -= 7;
  return day;
}

/** Quarter days as [month (0-based), day]. */
const QUARTER_DAYS: Record<'ENGLISH' | 'SCOTTISH' | 'RECEIVED', ReadonlyArray<readonly [number, number]>> = {
  ENGLISH: [[2, 25], [5, 24], [8, 29], [11, 25]],
  SCOTTISH: [[1, 2], [4, 15], [7, 1], [10, 11]],
  RECEIVED: [[2, 20], [5, 19], [8, 24], [11, 20]],
};

/** The first date strictly after `previous` on which a monthly rule `dayOf(year, month)` falls. */
function nextMonthly(previous: Date, dayOf: (year: number, month: number) => number): Date {
  for (let offset = 0; ; offset += 1) {
    const year = previous.getUTCFullYear();
    const month = previous.getUTCMonth() + offset;
    const normalised = new Date(Date.UTC(year, month, 1));
    const candidate = at(normalised.getUTCFullYear(), normalised.getUTCMonth(), dayOf(normalised.getUTCFullYear(), normalised.getUTCMonth()), previous);
    if (candidate > previous) return candidate;
  }
}

/**
 * The instalment date after `previous`: the first date strictly after it that the frequency names,
 * then, for the interval rules, the further whole intervals (so a first payment off the pattern is
 * followed by the pattern, and one on it by exactly one interval).
 */
export function nextStandingOrderDate(frequency: StandingOrderFrequency, previous: Date): Date {
  switch (frequency.kind) {
    case 'EvryDay':
      return new Date(previous.getTime() + DAY_MS);
    case 'EvryWorkgDay': {
      let next = new Date(previous.getTime() + DAY_MS);
      while (isoWeekday(next) > 5) next = new Date(next.getTime() + DAY_MS);
      return next;
    }
    case 'IntrvlDay':
      return new Date(previous.getTime() + frequency.days * DAY_MS);
    case 'IntrvlWkDay': {
      const ahead = ((frequency.dayInWeek - isoWeekday(previous) + 7) % 7) || 7;
      return new Date(previous.getTime() + (ahead + 7 * (frequency.weeks - 1)) * DAY_MS);
    }
    case 'WkInMnthDay':
      return nextMonthly(previous, (y, m) => weekdayInMonth(y, m, frequency.weekInMonth, frequency.dayInWeek));
    case 'IntrvlMnthDay': {
      const first = nextMonthly(previous, (y, m) => monthDay(y, m, frequency.dayInMonth));
      const target = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + frequency.months - 1, 1));
      return at(target.getUTCFullYear(), target.getUTCMonth(), monthDay(target.getUTCFullYear(), target.getUTCMonth(), frequency.dayInMonth), previous);
    }
    case 'QtrDay': {
      const days = QUARTER_DAYS[frequency.quarter];
      for (let year = previous.getUTCFullYear(); ; year += 1) {
        for (const [month, day] of days) {
          const candidate = at(year, month, day, previous);
          if (candidate > previous) return candidate;
        }
      }
    }
  }
}
