import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AISP, readScope, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { singlePage } from '../account-information/ob-links.ts';
import { toObProduct } from './products.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/product` and `GET /products` (`OBReadProduct2`). */
export async function productsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds } = readScope(request);
    const products = await context.reads.products(consent, accountIds);
    return { Data: { Product: products.map(toObProduct) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/product`, { onRequest: context.pipeline('products', 'account') }, handler);
  app.get(`${AISP}/products`, { onRequest: context.pipeline('products', 'bulk') }, handler);
}
