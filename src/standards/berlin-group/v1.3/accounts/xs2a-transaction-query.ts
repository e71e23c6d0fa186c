import type { FastifyRequest } from 'fastify';
import type { TransactionListing, TransactionRange } from '../../../../modules/accounts/index.ts';
import { isCalendarDay } from '../../../../platform/calendar/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';

/** The query of a transaction list, of an account or of a card account. */
export interface TransactionsQuery {
  withBalance?: string;
  bookingStatus: 'booked' | 'pending' | 'both' | 'information';
  dateFrom?: string;
  dateTo?: string;
  page?: string;
  deltaList?: string;
  entryReferenceFrom?: string;
}

const ISO_DATE = '^\\d{4}-\\d{2}-\\d{2}$';
export const withBalanceQuery = { type: 'object', properties: { withBalance: { type: 'string', enum: ['true', 'false'] } } } as const;

/** The query schema of a transaction list whose `bookingStatus` takes these values (cards have no `information`). */
export const transactionsQuerySchema = (bookingStatuses: readonly string[]) =>
  ({
    type: 'object',
    required: ['bookingStatus'],
    properties: {
      ...withBalanceQuery.properties,
      bookingStatus: { type: 'string', enum: bookingStatuses },
      dateFrom: { type: 'string', pattern: ISO_DATE },
      dateTo: { type: 'string', pattern: ISO_DATE },
      page: { type: 'string', maxLength: 500 },
      deltaList: { type: 'string' },
      entryReferenceFrom: { type: 'string' },
    },
  }) as const;

const dayStart = (date: string | undefined, field: string) => {
  if (date === undefined) return undefined;
  // The pattern lets 2026-02-30 through, which Date reads as 2 March: a period the TPP did not ask for.
  if (!isCalendarDay(date)) throw new AppError(Xs2aErrors.PERIOD_INVALID, { message: `${field} is not a day of the calendar`, details: [{ path: field }] });
  return new Date(`${date}T00:00:00.000Z`);
};

/**
 * The range a transaction list asks for: whole UTC days from `dateFrom` to `dateTo`, required
 * unless a `page` token carries on an earlier listing, and the booking status. `deltaList`,
 * `entryReferenceFrom` and `information` (standing orders) are not offered.
 */
export function transactionRangeOf(query: TransactionsQuery): Omit<TransactionRange, 'asOf'> {
  for (const unsupported of ['deltaList', 'entryReferenceFrom'] as const) {
    if (query[unsupported] !== undefined) throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: `${unsupported} is not offered by this bank`, details: [{ path: unsupported }] });
  }
  if (query.bookingStatus === 'information') throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: 'bookingStatus "information" (standing orders) is not offered', details: [{ path: 'bookingStatus' }] });
  if (query.dateFrom === undefined && query.page === undefined) throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'dateFrom is required', details: [{ path: 'dateFrom' }] });
  const from = dayStart(query.dateFrom, 'dateFrom');
  const toDay = dayStart(query.dateTo, 'dateTo');
  const to = toDay && new Date(toDay.getTime() + 24 * 60 * 60 * 1000 - 1);
  if (from && to && from > to) throw new AppError(Xs2aErrors.PERIOD_INVALID, { message: 'dateFrom is after dateTo', details: [{ path: 'dateFrom' }] });
  const status = query.bookingStatus === 'booked' ? 'Booked' : query.bookingStatus === 'pending' ? 'Pending' : undefined;
  return { from, to, page: query.page, status };
}

/** The page links of a listing: the request's own URL with an opaque `page` token (`first`, `last` when there are several pages). */
export function pageLinksOf(request: FastifyRequest, page: TransactionListing['page'], publicUrl: string) {
  const pageHref = (token: string) => {
    const url = new URL(request.url, publicUrl);
    url.searchParams.set('page', token);
    return { href: url.toString() };
  };
  return {
    ...(page.totalPages > 1 ? { first: pageHref(page.first), last: pageHref(page.last) } : {}),
    ...(page.prev ? { previous: pageHref(page.prev) } : {}),
    ...(page.next ? { next: pageHref(page.next) } : {}),
  };
}
