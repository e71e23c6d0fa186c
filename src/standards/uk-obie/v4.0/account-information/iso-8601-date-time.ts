/** A date-time as written: its local (wall-clock) value, and the UTC offset when one was given. */
export interface Iso8601DateTime {
  /** The date and time as written, read as if it were UTC (the offset not applied). */
  readonly wallClock: Date;
  /** Minutes east of UTC (`Z` is 0); null when the value names no zone (local time). */
  readonly offsetMinutes: number | null;
}

// ISO 8601-1:2019 §5.2 dates, each in basic and extended format: calendar (YYYY-MM-DD, YYYYMMDD),
// ordinal (YYYY-DDD, YYYYDDD) and week dates (YYYY-Www-D, YYYYWwwD). Four-digit years only: the
// expanded representation (±YYYYY) needs a prior agreement between the parties (§4.3.2).
const DATE_EXTENDED = /^(\d{4})-(?:(\d{2})-(\d{2})|(\d{3})|W(\d{2})-([1-7]))$/;
const DATE_BASIC = /^(\d{4})(?:(\d{2})(\d{2})|(\d{3})|W(\d{2})([1-7]))$/;
// §5.3 time of day, reduced precision allowed (hh, hh:mm, hh:mm:ss), a decimal fraction of any
// length on the lowest-order component, comma or full stop as the decimal sign (§3.2.6).
const TIME_EXTENDED = /^(\d{2})(?::(\d{2})(?::(\d{2}))?)?(?:[.,](\d+))?$/;
const TIME_BASIC = /^(\d{2})(?:(\d{2})(\d{2})?)?(?:[.,](\d+))?$/;
// §5.3.4 UTC offset: Z, ±hh, ±hhmm, ±hh:mm.
const OFFSET = /(Z|[+-](\d{2})(?::?(\d{2}))?)$/;

const MS_PER_DAY = 86_400_000;

/**
 * Parses an ISO 8601 date, or date and time of day, in basic or extended format (`2016-01-01`,
 * `20160101T104012.345Z`, `2016-01-01T10:40:12.34567+01`, `2016-W01-5T10:40`, `2016-001T10`).
 * The date and time parts use one format, as §5.4.2 requires of a complete representation; the
 * UTC offset may be written either way. `24:00` is the end of the day (§5.3.2), a leap second
 * `:60` the last instant of its minute (JavaScript dates have no leap seconds). Fractions below a
 * millisecond are truncated. Anything else — an impossible date or time, an unknown form — is
 * undefined.
 */
export function parseIso8601DateTime(value: string): Iso8601DateTime | undefined {
  const separator = value.indexOf('T');
  const datePart = separator === -1 ? value : value.slice(0, separator);
  const extended = datePart.includes('-');
  const dateMatch = (extended ? DATE_EXTENDED : DATE_BASIC).exec(datePart);
  if (!dateMatch) return undefined;
  const day = dayOf(dateMatch);
  if (day === undefined) return undefined;
  if (separator === -1) return { wallClock: new Date(day), offsetMinutes: null };

  let timePart = value.slice(separator + 1);
  let offsetMinutes: number | null = null;
  const offsetMatch = OFFSET.exec(timePart);
  if (offsetMatch) {
    const [whole, designator, oh, om = '00'] = offsetMatch;
    if (designator !== 'Z') {
      if (Number(oh) > 23 || Number(om) > 59) return undefined;
      offsetMinutes = (designator!.startsWith('-') ? -1 : 1) * (Number(oh) * 60 + Number(om));
    } else {
      offsetMinutes = 0;
    }
    timePart = timePart.slice(0, timePart.length - whole!.length);
  }
  const timeMatch = (extended ? TIME_EXTENDED : TIME_BASIC).exec(timePart);
  if (!timeMatch) return undefined;
  const [, hh, mm, ss, fraction] = timeMatch;
  const hours = Number(hh);
  const minutes = mm === undefined ? 0 : Number(mm);
  const seconds = ss === undefined ? 0 : Number(ss);
  // The fraction belongs to the lowest-order component written: hours, minutes or seconds.
  const unitMs = ss !== undefined ? 1000 : mm !== undefined ? 60_000 : 3_600_000;
  // Exact (no binary floating point): floor(0.fraction × unit) in milliseconds.
  const fractionMs = fraction === undefined ? 0 : Number((BigInt(fraction) * BigInt(unitMs)) / 10n ** BigInt(fraction.length));
  if (minutes > 59 || seconds > 60) return undefined;
  if (hours === 24) {
    if (minutes !== 0 || seconds !== 0 || fractionMs !== 0) return undefined;
  } else if (hours > 23) {
    return undefined;
  }
  if (seconds === 60 && minutes !== 59) return undefined;
  const ms = seconds === 60 ? hours * 3_600_000 + minutes * 60_000 + 59_999 : hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + fractionMs;
  return { wallClock: new Date(day + ms), offsetMinutes };
}

/** Milliseconds since the epoch of the matched day's midnight (UTC), or undefined when it does not exist. */
function dayOf(match: RegExpExecArray): number | undefined {
  const [, yyyy, month, dayOfMonth, ordinal, week, weekday] = match;
  const year = Number(yyyy);
  if (month !== undefined) {
    const m = Number(month);
    const d = Number(dayOfMonth);
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(year, m)) return undefined;
    return utcMidnight(year, m - 1, d);
  }
  if (ordinal !== undefined) {
    const n = Number(ordinal);
    if (n < 1 || n > (isLeapYear(year) ? 366 : 365)) return undefined;
    return utcMidnight(year, 0, n);
  }
  // §5.2.4.1: week 01 is the week with the year's first Thursday (the one holding 4 January);
  // weeks start on Monday (day 1).
  const w = Number(week);
  if (w < 1 || w > weeksInYear(year)) return undefined;
  const jan4 = utcMidnight(year, 0, 4);
  const mondayOfWeek1 = jan4 - isoWeekday(jan4) * MS_PER_DAY + MS_PER_DAY;
  return mondayOfWeek1 + ((w - 1) * 7 + Number(weekday) - 1) * MS_PER_DAY;
}

function utcMidnight(year: number, monthIndex: number, day: number): number {
  // setUTCFullYear keeps years 0–99 as written (Date.UTC would read them as 1900–1999).
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

/** ISO weekday, Monday 1 … Sunday 7. */
function isoWeekday(epochMs: number): number {
  return ((new Date(epochMs).getUTCDay() + 6) % 7) + 1;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday; else 52. */
function weeksInYear(year: number): number {
  const jan1 = isoWeekday(utcMidnight(year, 0, 1));
  return jan1 === 4 || (jan1 === 3 && isLeapYear(year)) ? 53 : 52;
}
