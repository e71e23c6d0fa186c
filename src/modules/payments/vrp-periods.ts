import type { VrpPeriodicLimit } from './vrp-model.ts';

const DAY_MS = 86_400_000;
const MONTHS: Readonly<Record<string, number>> = { Month: 1, 'Half-year': 6, Year: 12 };
const DAYS: Readonly<Record<string, number>> = { Day: 1, Week: 7, Fortnight: 14 };

/** `date` plus whole months (UTC), the day of month clamped to the target month's last day. */
function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
}

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
  if (limit.alignment === 'Calendar') {
    const y = now.getUTCFullYear();
    const m = now.getUTCMonth();
    const midnight = Date.UTC(y, m, now.getUTCDate());
    switch (limit.periodType) {
      case 'Day':
        return new Date(midnight);
      case 'Week':
        return new Date(midnight - ((now.getUTCDay() + 6) % 7) * DAY_MS);
      case 'Month':
        return new Date(Date.UTC(y, m, 1));
      case 'Half-year':
        return new Date(Date.UTC(y, m < 6 ? 0 : 6, 1));
      case 'Year':
        return new Date(Date.UTC(y, 0, 1));
      default:
        throw new Error(`no calendar alignment for ${limit.periodType}`);
    }
  }
  if (now < anchor) return anchor;
  const days = DAYS[limit.periodType];
  if (days !== undefined) {
    const length = days * DAY_MS;
    return new Date(anchor.getTime() + Math.floor((now.getTime() - anchor.getTime()) / length) * length);
  }
  const months = MONTHS[limit.periodType];
  if (months === undefined) throw new Error(`unknown period type ${limit.periodType}`);
  // Step whole periods from the anchor: an estimate, then corrected either way.
  let n = Math.max(0, Math.floor(((now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + now.getUTCMonth() - anchor.getUTCMonth()) / months));
  while (n > 0 && addMonths(anchor, n * months) > now) n -= 1;
  while (addMonths(anchor, (n + 1) * months) <= now) n += 1;
  return addMonths(anchor, n * months);
}
