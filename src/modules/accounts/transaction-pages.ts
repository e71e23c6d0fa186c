import { AppError } from '../../platform/errors/index.ts';
import { AccountErrors } from './accounts.errors.ts';

/**
 * A page of a transaction listing: the core's snapshot (so pages never shift while new
 * transactions are booked) and the page index. Opaque to TPPs; anything forged is a 400.
 */
export interface PagePosition {
  readonly snapshot: string;
  readonly index: number;
}

const MAX_PAGE_INDEX = 1_000_000;

export function encodePageToken(position: PagePosition): string {
  return Buffer.from(`${position.snapshot}.${position.index}`).toString('base64url');
}

export function decodePageToken(token: string): PagePosition {
  const match = /^(\d{1,19})\.(\d{1,7})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  const index = match ? Number(match[2]) : Number.NaN;
  if (!match || !(index >= 0 && index <= MAX_PAGE_INDEX)) throw new AppError(AccountErrors.PAGE_INVALID, { details: [{ path: 'page' }] });
  return { snapshot: match[1] as string, index };
}

/** Links of a paged listing, as page tokens (the facade turns them into URLs). */
export interface PageLinks {
  readonly index: number;
  readonly totalPages: number;
  readonly first: string;
  readonly prev: string | undefined;
  readonly next: string | undefined;
  readonly last: string;
}

export function pageLinks(snapshot: string, index: number, total: number, pageSize: number): PageLinks {
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  const token = (i: number) => encodePageToken({ snapshot, index: i });
  return {
    index,
    totalPages,
    first: token(0),
    prev: index > 0 ? token(Math.min(index - 1, totalPages - 1)) : undefined,
    next: index + 1 < totalPages ? token(index + 1) : undefined,
    last: token(totalPages - 1),
  };
}
