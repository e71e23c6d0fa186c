import type { FastifyInstance, FastifyRequest } from 'fastify';
import { detailLevel, type TransactionListing } from '../../../../modules/accounts/index.ts';
import { AISP, readScope, pagedLinks, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { bookingDateParam, pageParam } from '../account-information/booking-date-param.ts';
import { toObTransaction } from './transactions.schema.ts';
import { accessScopeOf, type DetailLevel } from '../../../../modules/consents/index.ts';

type Cluster = DetailLevel;
/** Mapped pages by the (shared, immutable) item list the reads returned, per data cluster. */
const mappedPages = new WeakMap<TransactionListing['items'], Partial<Record<Cluster, ReturnType<typeof toObTransaction>[]>>>();

function mappedTransactions(items: TransactionListing['items'], cluster: Cluster) {
  let mapped = mappedPages.get(items);
  if (!mapped) mappedPages.set(items, (mapped = {}));
  return (mapped[cluster] ??= items.map((t) => toObTransaction(t, cluster)));
}

/** An `OBReadTransaction6` page of a listing, with its Links and Meta. */
export function toObReadTransaction(request: FastifyRequest, publicUrl: string, listing: TransactionListing, cluster: Cluster) {
  return {
    Data: { Transaction: mappedTransactions(listing.items, cluster) },
    ...pagedLinks(request, publicUrl, listing.page, { first: listing.firstAvailable, last: listing.lastAvailable }),
  };
}

/**
 * OB v4.0 `GET /accounts/{AccountId}/transactions` and `GET /transactions`: filtered by
 * `fromBookingDateTime`/`toBookingDateTime`, paged through the `page` links.
 */
export async function transactionsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds, asOf } = readScope(request);
    const listing = await context.reads.transactions(consent, accountIds, {
      asOf,
      from: bookingDateParam(request.query, 'fromBookingDateTime'),
      to: bookingDateParam(request.query, 'toBookingDateTime'),
      page: pageParam(request.query),
    });
    return toObReadTransaction(request, context.publicUrl, listing, detailLevel(accessScopeOf(consent), 'transactions'));
  };
  app.get(`${AISP}/accounts/:AccountId/transactions`, { onRequest: context.pipeline('transactions', 'account') }, handler);
  app.get(`${AISP}/transactions`, { onRequest: context.pipeline('transactions', 'bulk') }, handler);
}
