import type { FastifyInstance } from 'fastify';
import { domesticPaymentConsentsRoutes } from '../domestic-payment-consents/domestic-payment-consents.routes.ts';
import { domesticPaymentsRoutes } from '../domestic-payments/domestic-payments.routes.ts';
import { domesticScheduledPaymentConsentsRoutes } from '../domestic-scheduled-payment-consents/domestic-scheduled-payment-consents.routes.ts';
import { domesticScheduledPaymentsRoutes } from '../domestic-scheduled-payments/domestic-scheduled-payments.routes.ts';
import { domesticStandingOrderConsentsRoutes } from '../domestic-standing-order-consents/domestic-standing-order-consents.routes.ts';
import { domesticStandingOrdersRoutes } from '../domestic-standing-orders/domestic-standing-orders.routes.ts';
import { filePaymentConsentsRoutes } from '../file-payment-consents/file-payment-consents.routes.ts';
import { filePaymentsRoutes } from '../file-payments/file-payments.routes.ts';
import { internationalPaymentConsentsRoutes } from '../international-payment-consents/international-payment-consents.routes.ts';
import { internationalPaymentsRoutes } from '../international-payments/international-payments.routes.ts';
import { internationalScheduledPaymentConsentsRoutes } from '../international-scheduled-payment-consents/international-scheduled-payment-consents.routes.ts';
import { internationalScheduledPaymentsRoutes } from '../international-scheduled-payments/international-scheduled-payments.routes.ts';
import { internationalStandingOrderConsentsRoutes } from '../international-standing-order-consents/international-standing-order-consents.routes.ts';
import { internationalStandingOrdersRoutes } from '../international-standing-orders/international-standing-orders.routes.ts';
import { checkConsentAuthorised } from '../security/check-consent-authorised.ts';
import { checkGrantType } from '../security/check-grant-type.ts';
import { checkInteractionHeaders } from '../security/check-interaction-headers.ts';
import { checkScope } from '../security/check-scope.ts';
import type { PisRouteContext } from './pis-route-context.ts';
import { preparePisRouteFamily, type PaymentInitiationRoutesOptions } from './pis-route-family.ts';

/**
 * The OB v4.0 Payment Initiation API (domestic and international payments, scheduled payments,
 * standing orders), one encapsulated route family (`preparePisRouteFamily`).
 */
export async function paymentInitiationRoutes(app: FastifyInstance, options: PaymentInitiationRoutesOptions): Promise<void> {
  const { now, caller, context: shared } = preparePisRouteFamily(app, options);
  const context: PisRouteContext = {
    ...shared,
    // OB v4.0 `PSUOAuth2Security: [payments]`: the token the PSU's authorisation of this consent issued.
    psuSecurity: ({ acceptConsumed = false, kind = 'domestic-payment' } = {}) => [
      ...caller(),
      checkGrantType('authorization_code'),
      checkScope('payments'),
      checkInteractionHeaders(),
      checkConsentAuthorised({ consents: options.consents, kind, acceptConsumed, now }),
    ],
  };
  await domesticPaymentConsentsRoutes(app, context);
  await domesticPaymentsRoutes(app, context);
  await domesticScheduledPaymentConsentsRoutes(app, context);
  await domesticScheduledPaymentsRoutes(app, context);
  await domesticStandingOrderConsentsRoutes(app, context);
  await domesticStandingOrdersRoutes(app, context);
  if (options.exchangeRates) {
    await internationalPaymentConsentsRoutes(app, context, options.exchangeRates);
    await internationalPaymentsRoutes(app, context, options.exchangeRates);
    // Scheduled payments convert at their date, standing orders at each instalment: both on the
    // exchange rates the composition root gives the scheduler too.
    await internationalScheduledPaymentConsentsRoutes(app, context, options.exchangeRates);
    await internationalScheduledPaymentsRoutes(app, context, options.exchangeRates);
    await internationalStandingOrderConsentsRoutes(app, context);
    await internationalStandingOrdersRoutes(app, context);
  }
  if (options.filePayments) {
    await filePaymentConsentsRoutes(app, context, options.filePayments);
    await filePaymentsRoutes(app, context);
  }
}
