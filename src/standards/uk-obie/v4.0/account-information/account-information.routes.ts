import type { FastifyInstance } from 'fastify';
import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { AccountsApi } from '../../../../modules/accounts/index.ts';
import type { ConsentsApi } from '../../../../modules/consents/index.ts';
import { accountsRoutes } from '../accounts/accounts.routes.ts';
import { balancesRoutes } from '../balances/balances.routes.ts';
import { beneficiariesRoutes } from '../beneficiaries/beneficiaries.routes.ts';
import { directDebitsRoutes } from '../direct-debits/direct-debits.routes.ts';
import { offersRoutes } from '../offers/offers.routes.ts';
import { partiesRoutes } from '../parties/parties.routes.ts';
import { productsRoutes } from '../products/products.routes.ts';
import { scheduledPaymentsRoutes } from '../scheduled-payments/scheduled-payments.routes.ts';
import { standingOrdersRoutes } from '../standing-orders/standing-orders.routes.ts';
import { statementsRoutes } from '../statements/statements.routes.ts';
import { transactionsRoutes } from '../transactions/transactions.routes.ts';
import type { TppCertificateValidator } from '../security/fapi-checks.ts';
import { decorateSecurityContext } from '../security/security-context.ts';
import { countUnattendedRead } from '../security/count-unattended-read.ts';
import { aisPipeline, type AisRouteContext } from './ais-route-context.ts';

export interface AccountInformationRoutesOptions {
  readonly consents: Pick<ConsentsApi, 'findForRequest' | 'countUnattendedAccess'>;
  /** Reads of a resource per consent and UTC day without the PSU present (`AIS_UNATTENDED_READS_PER_DAY`); undefined: no limit. */
  readonly unattendedReadsPerDay?: number | undefined;
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readonly reads: AccountsApi;
  readonly publicUrl: string;
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  readonly now?: (() => Date) | undefined;
}

/** Every read of the OB v4.0 Account and Transaction API, each behind the AIS security pipeline. */
export async function accountInformationRoutes(app: FastifyInstance, options: AccountInformationRoutesOptions): Promise<void> {
  decorateSecurityContext(app);
  const context: AisRouteContext = {
    reads: options.reads,
    publicUrl: options.publicUrl,
    pipeline: (resource, scope) => aisPipeline(options, resource, scope),
  };
  // After every read's security pipeline (onRequest) and the TPP's rate limit (the facade's preHandler).
  app.addHook('preHandler', countUnattendedRead(options.consents, options.unattendedReadsPerDay, options.now ?? undefined));
  for (const routes of [
    accountsRoutes,
    balancesRoutes,
    transactionsRoutes,
    beneficiariesRoutes,
    directDebitsRoutes,
    standingOrdersRoutes,
    scheduledPaymentsRoutes,
    statementsRoutes,
    partiesRoutes,
    productsRoutes,
    offersRoutes,
  ]) {
    await routes(app, context);
  }
}
