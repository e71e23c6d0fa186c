import type { FastifyRequest } from 'fastify';
import type { PageLinks } from '../../../../modules/accounts/index.ts';

/** `Links.Self`: the URL the TPP called, on the bank's public base URL. */
export function selfUrl(request: FastifyRequest, publicUrl: string): string {
  return new URL(request.url, publicUrl).toString();
}

/** OB `Links` and `Meta` of a listing that fits one page. */
export function singlePage(request: FastifyRequest, publicUrl: string): { Links: { Self: string }; Meta: { TotalPages: number } } {
  return { Links: { Self: selfUrl(request, publicUrl) }, Meta: { TotalPages: 1 } };
}

/**
 * OB `Links` (Self, First, Prev, Next, Last) and `Meta` of a paged listing: each link is the
 * request's own URL with the page token of that page.
 */
export function pagedLinks(request: FastifyRequest, publicUrl: string, page: PageLinks, available: { first: Date | undefined; last: Date | undefined }) {
  const withPage = (token: string) => {
    const url = new URL(request.url, publicUrl);
    url.searchParams.set('page', token);
    return url.toString();
  };
  return {
    Links: {
      Self: selfUrl(request, publicUrl),
      First: withPage(page.first),
      ...(page.prev ? { Prev: withPage(page.prev) } : {}),
      ...(page.next ? { Next: withPage(page.next) } : {}),
      Last: withPage(page.last),
    },
    Meta: {
      TotalPages: page.totalPages,
      ...(available.first ? { FirstAvailableDateTime: available.first.toISOString() } : {}),
      ...(available.last ? { LastAvailableDateTime: available.last.toISOString() } : {}),
    },
  };
}
