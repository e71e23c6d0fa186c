/** The period of a VRP limit in a customer's words, by OB `PeriodType`. */
const UNITS: Record<string, string> = { Day: 'day', Week: 'week', Fortnight: 'fortnight', Month: 'month', 'Half-year': 'half-year', Year: 'year' };

const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * One periodic limit of a recurring-payment consent, e.g. "Up to £500.00 each calendar month"
 * or "Up to £50.00 each week, counted from 3 March 2026" (OB v4.0 VRP `PeriodAlignment`:
 * Calendar periods are the calendar's, Consent periods run from the consent's creation).
 */
export function periodicLimitText(limit: { periodType: string; alignment: string; amount: string }, anchor: Date): string {
  const unit = UNITS[limit.periodType] ?? limit.periodType;
  if (limit.alignment === 'Calendar') return `Up to ${limit.amount} each calendar ${unit}${limit.periodType === 'Week' ? ' (Monday to Sunday)' : ''}`;
  return `Up to ${limit.amount} each ${unit}, counted from ${day(anchor)}`;
}
