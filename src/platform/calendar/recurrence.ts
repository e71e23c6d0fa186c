import rrule from 'rrule';
import type { Options, Weekday } from 'rrule';

// rrule ships a UMD bundle as its CommonJS entry: Node's ESM loader sees no named exports.
export const { RRule, RRuleSet } = rrule;
export type RecurrenceRule = InstanceType<typeof RRule> | InstanceType<typeof RRuleSet>;
export type RecurrenceOptions = Partial<Options>;

const WEEK: readonly Weekday[] = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];
export const WORKING_DAYS: readonly Weekday[] = WEEK.slice(0, 5);

/** The RFC 5545 weekday of an ISO 8601 weekday number (1 = Monday … 7 = Sunday). */
export function rfcWeekday(n: number): Weekday {
  const weekday = WEEK[n - 1];
  if (!weekday) throw new Error(`no ISO weekday ${n}`);
  return weekday;
}

/**
 * `BYMONTHDAY` for a day of the month that months shorter than it clamp to their last day. RFC 5545
 * skips a month without the day (§3.3.10: "invalid date … MUST be ignored"), so 29–31 become "the
 * last of 28…day that the month has" (`BYSETPOS=-1`). Negative days count back from the month's end.
 */
export function clampedMonthDay(day: number): RecurrenceOptions {
  if (day <= 28) return { bymonthday: [day] };
  const candidates: number[] = [];
  for (let d = 28; d <= day; d += 1) candidates.push(d);
  return { bymonthday: candidates, bysetpos: [-1] };
}
