import { AccountErrors } from '../../../../modules/accounts/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { parseIso8601DateTime } from './iso-8601-date-time.ts';

/**
 * OB v4.0 `fromBookingDateTime`/`toBookingDateTime` (and the statement equivalents): "The UTC ISO
 * 8601 Date Time … Time component is optional - set to 00:00:00 for just Date. If the Date Time
 * contains a timezone, the ASPSP must ignore the timezone component." Every ISO 8601 form is
 * accepted — basic or extended, a fraction of any length, offsets `Z`, `±hh`, `±hhmm`, `±hh:mm`
 * (the OBIE conformance suite sends `20160101T104012.345Z` and `2016-01-01T10:40:12.34567+01`,
 * OB-400-STA-106000 … 106300). Absent is undefined; anything malformed, or a date that does not
 * exist, is 400 U003 naming the parameter.
 */
export function bookingDateParam(query: unknown, name: string): Date | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? parseIso8601DateTime(value) : undefined;
  if (parsed) return parsed.wallClock;
  throw new AppError(AccountErrors.DATE_INVALID, { details: [{ path: name, message: `${name} must be an ISO 8601 date-time` }] });
}

/** The opaque `page` parameter of a paged listing, when given. */
export function pageParam(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.['page'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw new AppError(AccountErrors.PAGE_INVALID, { details: [{ path: 'page' }] });
  return value;
}
