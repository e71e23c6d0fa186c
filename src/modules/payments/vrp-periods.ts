import { addDays, addMonths, differenceInCalendarMonths, differenceInDays, setMonth, startOfDay, startOfISOWeek, startOfMonth, startOfYear } from 'date-fns';
import { plainDate, UTC } from '../../platform/calendar/index.ts';
import type { VrpPeriodicLimit } from './vrp-model.ts';

const MONTHS: Readonly<Record<string, number>> = { Month: 1, 'Half-year': 6, Year: 12 };
const DAYS: Readonly<Record<string, number>> = { Day: 1, Week: 7, Fortnight: 14 };

/**
 * The start of the period of `limit` that contains `now` (OB v4.0 VRP `PeriodAlignment`):
 * - `Consent`: periods run back to back from `anchor` (the consent's creation): n days for Day,
 *   Week and Fortnight, n calendar months (day of month kept, clamped) for Month, Half-year, Year;
 * - `Calendar`: the day, the ISO week (from Monday), the month, the half-year (January or July)
 *   or the year that contains `now`. OB: "a PeriodType of Fortnight the PeriodAlignment must be
 *   Consent" — refused when the consent is staged.
 * Calendar boundaries are UTC midnight.
 */
export function periodStart(limit: Pick<VrpPeriodicLimit, 'periodType' | 'alignment'>, anchor: Date, now: Date): Date {
  if (limit.alignment === 'Calendar') return plainDate(calendarPeriodStart(limit.periodType, now));
  if (now < anchor) return anchor;
  const days = DAYS[limit.periodType];
  if (days !== undefined) return plainDate(addDays(anchor, Math.floor(differenceInDays(now, anchor, UTC) / days) * days, UTC));
  const months = MONTHS[limit.periodType];
  if (months === undefined) throw new Error(`unknown period type ${limit.periodType}`);
  // Whole periods from the anchor: an estimate from the calendar months, then corrected either way.
  const start = (n: number): Date => addMonths(anchor, n * months, UTC);
  let n = Math.max(0, Math.floor(differenceInCalendarMonths(now, anchor, UTC) / months));
  while (n > 0 && start(n) > now) n -= 1;
  while (start(n + 1) <= now) n += 1;
  return plainDate(start(n));
}

function calendarPeriodStart(periodType: string, now: Date): Date {
  switch (periodType) {
    case 'Day':
      return startOfDay(now, UTC);
    case 'Week':
      return startOfISOWeek(now, UTC);
    case 'Month':
      return startOfMonth(now, UTC);
    case 'Half-year':
      return setMonth(startOfYear(now, UTC), now.getUTCMonth() < 6 ? 0 : 6, UTC);
    case 'Year':
      return startOfYear(now, UTC);
    default:
      throw new Error(`no calendar alignment for ${periodType}`);
  }
}
