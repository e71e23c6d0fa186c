import { AccountErrors } from '../../../../modules/accounts/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';

// Date, optional time, optional zone: `2026-01-31`, `2026-01-31T10:00:00`, `2026-01-31T10:00:00.000+01:00`.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * OB v4.0 `fromBookingDateTime`/`toBookingDateTime` (and the statement equivalents): "The UTC ISO
 * 8601 Date Time … Time component is optional - set to 00:00:00 for just Date. If the Date Time
 * contains a timezone, the ASPSP must ignore the timezone component." Absent is undefined; anything
 * malformed, or a date that does not exist, is 400 U003 naming the parameter.
 */
export function bookingDateParam(query: unknown, name: string): Date | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (match) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = ''] = match;
    const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
    if (date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) && date.getUTCHours() === Number(h) && date.getUTCMinutes() === Number(mi)) {
      return date;
    }
  }
  throw new AppError(AccountErrors.DATE_INVALID, { details: [{ path: name, message: `${name} must be an ISO 8601 date-time` }] });
}

/** The opaque `page` parameter of a paged listing, when given. */
export function pageParam(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.['page'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw new AppError(AccountErrors.PAGE_INVALID, { details: [{ path: 'page' }] });
  return value;
}
