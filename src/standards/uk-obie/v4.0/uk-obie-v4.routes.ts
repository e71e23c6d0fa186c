import type { FastifyInstance } from 'fastify';
import type { AccessTokenVerifier } from '../../../auth/index.ts';
import type { ConsentsApi } from '../../../modules/consents/index.ts';
import type { AccountsApi } from '../../../modules/accounts/index.ts';
import { accountAccessConsentsRoutes } from './account-access-consents/account-access-consents.routes.ts';
import { accountInformationRoutes } from './account-information/account-information.routes.ts';
import { paymentInitiationRoutes } from './payment-initiation/payment-initiation.routes.ts';
import type { PaymentInitiationRoutesOptions } from './payment-initiation/pis-route-family.ts';
import { vrpRoutes } from './vrp/vrp.routes.ts';
import { confirmationFundsRoutes, type ConfirmationFundsRoutesOptions } from './confirmation-funds/confirmation-funds.routes.ts';
import type { TppCertificateValidator } from './security/fapi-checks.ts';
import { checkRateLimit, obApiFamilyOf } from './security/check-rate-limit.ts';
import type { RateLimitsApi } from '../../../modules/rate-limits/index.ts';
import type { ObWireStore } from './_wire/wire-store.ts';
import { eventNotificationRoutes, type EventNotificationRoutesOptions } from './event-notifications/event-notifications.routes.ts';

export interface UkObieV4RoutesOptions {
  /** The request bodies the consent, payment and funds resources echo, kept by this facade (decision 0005g; `createObWireStore`). */
  readonly wire: ObWireStore;
  /** The consents module: the consent resources, and consents as fresh as the database for the resource pipelines. */
  readonly consents: ConsentsApi;
  /** Resource-side access-token verification (src/auth/verify-access-token.ts). */
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readonly publicUrl: string;
  /** Account information as consents let TPPs see it (src/modules/accounts). */
  readonly reads: AccountsApi;
  /** The directory's check of TPP transport certificates (sandbox QTSP); absent, the handshake's chain check stands alone. */
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  /**
   * The Payment Initiation and VRP APIs: the payments module and message signing. Absent, they are
   * not served (they need the bank's org_id to sign responses as).
   */
  readonly payments?: Pick<PaymentInitiationRoutesOptions, 'payments' | 'responseSigner' | 'tppSigningKeys' | 'trustAnchors' | 'exchangeRates' | 'filePayments'> | undefined;
  /** The Confirmation of Funds API (CBPII): the funds module. Absent, it is not served. */
  readonly funds?: ConfirmationFundsRoutesOptions['funds'] | undefined;
  /**
   * The event APIs (subscriptions and aggregated polling): the events module and the SET signer.
   * Served with the payment APIs, whose message signing their subscription requests use.
   */
  readonly events?: Pick<EventNotificationRoutesOptions, 'events' | 'setSigner' | 'issuer'> | undefined;
  /** Rate limits per TPP and consent (src/modules/rate-limits); absent, none. */
  readonly rateLimits?: Pick<RateLimitsApi, 'admit'> | undefined;
  /** OB AIS reads per consent, resource and UTC day without the PSU present; undefined: no limit. */
  readonly unattendedReadsPerDay?: number | undefined;
}

/** Every UK OB v4.0 route family, each an encapsulated plugin with its own security pipeline. */
export async function ukObieV4Routes(app: FastifyInstance, options: UkObieV4RoutesOptions): Promise<void> {
  const { wire } = options;
  // Every family's requests count against the TPP's allowance once its steps identified it.
  if (options.rateLimits) app.addHook('preHandler', checkRateLimit(options.rateLimits, obApiFamilyOf));
  await app.register(accountAccessConsentsRoutes, options);
  await app.register(accountInformationRoutes, options);
  if (options.payments) await app.register(paymentInitiationRoutes, { ...options, ...options.payments, wire });
  // The VRP API (domestic VRPs): the same signing and execution as payment initiation.
  if (options.payments) await app.register(vrpRoutes, { ...options, ...options.payments, wire });
  if (options.funds) await app.register(confirmationFundsRoutes, { ...options, funds: options.funds, wire });
  if (options.events && options.payments) await app.register(eventNotificationRoutes, { ...options, ...options.payments, ...options.events });
}
