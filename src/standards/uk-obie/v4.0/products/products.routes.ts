import type { FastifyInstance } from 'fastify';
import { aisReadPair } from '../account-information/ais-read-pair.ts';
import type { AisRouteContext } from '../account-information/ais-route-context.ts';
import { toObProduct } from './products.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/product` and `GET /products` (`OBReadProduct2`). */
export async function productsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  aisReadPair(app, context, {
    resource: 'products',
    accountPath: 'product',
    data: async ({ consent, accountIds }) => ({ Product: (await context.reads.products(consent, accountIds)).map(toObProduct) }),
  });
}
