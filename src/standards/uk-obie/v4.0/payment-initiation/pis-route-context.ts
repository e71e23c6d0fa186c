import type { FastifyInstance } from 'fastify';
import type { ConsentKind } from '../../../../modules/consents/index.ts';
import type { PaymentsApi } from '../../../../modules/payments/index.ts';
import type { ObResourceContext } from '../ob-resource-context.ts';
import type { SecurityStep } from '../security/security-context.ts';

/** OB v4.0 Payment Initiation API base path (`servers: /open-banking/v4.0/pisp`). */
export const PISP = '/open-banking/v4.0/pisp';

/** What every PIS resource route family needs: the payments module and its security pipelines. */
export interface PisRouteContext extends ObResourceContext {
  /** Payment consents and orders (src/modules/payments). */
  readonly payments: PaymentsApi;
  /** `TPPOAuth2Security [payments]`: the TPP for itself, client-credentials token. */
  readonly tppSecurity: SecurityStep[];
  /** `PSUOAuth2Security [payments]`: the PSU's authorization-code token, its consent of `kind` (default `domestic-payment`) authorised. */
  psuSecurity(options?: { acceptConsumed?: boolean; kind?: ConsentKind }): SecurityStep[];
  /** `preValidation` of every POST: the TPP's detached JWS over the body (`x-jws-signature`). */
  readonly signedRequest: SecurityStep[];
}

/** Links.Self of a PIS resource. */
export function pisLink(context: Pick<PisRouteContext, 'publicUrl'>, path: string): string {
  return new URL(`${PISP}${path}`, context.publicUrl).toString();
}

/** One PIS resource (a consent or payment-order collection and its sub-resources), from its descriptor. */
export interface PisResource {
  register(app: FastifyInstance, context: PisRouteContext): void;
}
