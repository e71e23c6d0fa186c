import type { TransactionPage } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { AccountErrors } from './accounts.errors.ts';

/**
 * A page of a transaction listing is named by the core's cursor, passed through as it is: opaque to
 * TPPs and to this module; only the core reads it (and refuses what it did not mint).
 */
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

export function checkPageToken(token: string): string {
  if (!TOKEN.test(token)) throw new AppError(AccountErrors.PAGE_INVALID, { details: [{ path: 'page' }] });
  return token;
}

/** The page token of a listing that can match nothing: the module's own, never sent to the core. */
export const EMPTY_PAGE_TOKEN = 'none';

/** The listing of a query that can match nothing (no permitted direction, an empty window). */
export const EMPTY_PAGE: TransactionPage = { items: [], total: 0, index: 0, cursors: { first: EMPTY_PAGE_TOKEN, last: EMPTY_PAGE_TOKEN }, firstBookingAt: undefined, lastBookingAt: undefined };

/** Links of a paged listing, as page tokens (the facade turns them into URLs). */
export interface PageLinks {
  readonly index: number;
  readonly totalPages: number;
  readonly first: string;
  readonly prev: string | undefined;
  readonly next: string | undefined;
  readonly last: string;
}

export function pageLinks(page: TransactionPage, pageSize: number): PageLinks {
  return {
    index: page.index,
    totalPages: Math.max(1, Math.ceil(page.total / pageSize)),
    first: page.cursors.first,
    prev: page.cursors.previous,
    next: page.cursors.next,
    last: page.cursors.last,
  };
}
