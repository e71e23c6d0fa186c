/** UTC calendar arithmetic for the sandbox history (date-fns, RFC 5545 rules); the generator never reads the clock. */
import { addDays as addDaysTo, addMonths as addMonthsTo, eachDayOfInterval, getDaysInMonth, startOfDay as dayStart, startOfMonth as monthStart } from 'date-fns';
import { clampedMonthDay, plainDate, rfcWeekday, RRule, UTC, type RecurrenceOptions } from '../../platform/calendar/index.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function daysInMonth(year: number, month: number): number {
  return getDaysInMonth(Date.UTC(year, month, 1), UTC);
}

/** A UTC time on a day of a month; days past the month's end fall on its last day. */
export function at(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const first = new Date(Date.UTC(year, month, 1, hour, minute));
  return plainDate(addDaysTo(first, Math.min(day, getDaysInMonth(first, UTC)) - 1, UTC));
}

export function startOfDay(date: Date): Date {
  return plainDate(dayStart(date, UTC));
}

export function startOfMonth(date: Date): Date {
  return plainDate(monthStart(date, UTC));
}

export function addDays(date: Date, days: number): Date {
  return plainDate(addDaysTo(date, days, UTC));
}

/** Same day-of-month `months` later (clamped to the month's end), same time of day. */
export function addMonths(date: Date, months: number): Date {
  return plainDate(addMonthsTo(date, months, UTC));
}

/** Moves Saturday and Sunday back to the Friday before (Bacs pays on working days). */
export function previousWorkingDay(date: Date): Date {
  const weekday = date.getUTCDay();
  if (weekday === 6) return addDays(date, -1);
  if (weekday === 0) return addDays(date, -2);
  return date;
}

/** The occurrences of a rule counted from `dtstart`, within (from, to]. */
function occurrences(rule: RecurrenceOptions, dtstart: Date, from: Date, to: Date): Date[] {
  return new RRule({ ...rule, dtstart, until: to, bysecond: [0] }).all().filter((date) => date > from);
}

/** Every month's `day` (clamped) at the given time, within (from, to]. */
export function monthlyDates(from: Date, to: Date, day: number, hour: number, minute: number): Date[] {
  return occurrences({ freq: RRule.MONTHLY, ...clampedMonthDay(day), byhour: [hour], byminute: [minute] }, startOfMonth(from), from, to);
}

/** Every `isoWeekday` (1 = Monday … 7 = Sunday) at the given time, within (from, to]. */
export function weeklyDates(from: Date, to: Date, weekday: number, hour: number, minute: number): Date[] {
  return occurrences({ freq: RRule.WEEKLY, byweekday: [rfcWeekday(weekday)], byhour: [hour], byminute: [minute] }, startOfDay(from), from, to);
}

/** Calendar days whose start lies in [startOfDay(from), to]. */
export function eachDay(from: Date, to: Date): Date[] {
  if (to < startOfDay(from)) return [];
  return eachDayOfInterval({ start: from, end: to }, UTC).map(plainDate);
}
