/** UTC calendar arithmetic for the sandbox history; the generator never reads the clock. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** A UTC time on a day of a month; days past the month's end fall on its last day. */
export function at(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const normalised = new Date(Date.UTC(year, month, 1));
  const y = normalised.getUTCFullYear();
  const m = normalised.getUTCMonth();
  return new Date(Date.UTC(y, m, Math.min(day, daysInMonth(y, m)), hour, minute));
}

export function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function startOfMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Same day-of-month `months` later (clamped to the month's end), same time of day. */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const day = Math.min(date.getUTCDate(), daysInMonth(target.getUTCFullYear(), target.getUTCMonth()));
  return new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()),
  );
}

/** Moves Saturday and Sunday back to the Friday before (Bacs pays on working days). */
export function previousWorkingDay(date: Date): Date {
  const weekday = date.getUTCDay();
  if (weekday === 6) return addDays(date, -1);
  if (weekday === 0) return addDays(date, -2);
  return date;
}

/** Every month's `day` (clamped) at the given time, within (from, to]. */
export function monthlyDates(from: Date, to: Date, day: number, hour: number, minute: number): Date[] {
  const out: Date[] = [];
  for (let cursor = startOfMonth(from); cursor.getTime() <= to.getTime(); cursor = addMonths(cursor, 1)) {
    const date = at(cursor.getUTCFullYear(), cursor.getUTCMonth(), day, hour, minute);
    if (date.getTime() > from.getTime() && date.getTime() <= to.getTime()) out.push(date);
  }
  return out;
}

/** Every `isoWeekday` (1 = Monday … 7 = Sunday) at the given time, within (from, to]. */
export function weeklyDates(from: Date, to: Date, isoWeekday: number, hour: number, minute: number): Date[] {
  const out: Date[] = [];
  for (let day = startOfDay(from); day.getTime() <= to.getTime(); day = addDays(day, 1)) {
    if ((day.getUTCDay() || 7) !== isoWeekday) continue;
    const date = new Date(day.getTime() + hour * HOUR_MS + minute * MINUTE_MS);
    if (date.getTime() > from.getTime() && date.getTime() <= to.getTime()) out.push(date);
  }
  return out;
}

/** Calendar days whose start lies in [startOfDay(from), to]. */
export function eachDay(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let day = startOfDay(from); day.getTime() <= to.getTime(); day = addDays(day, 1)) out.push(day);
  return out;
}
