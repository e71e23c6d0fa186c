import type { FastifyInstance } from 'fastify';
import { domesticPaymentConsents } from '../domestic-payment-consents/domestic-payment-consents.resource.ts';
import { domesticPayments } from '../domestic-payments/domestic-payments.resource.ts';
import { domesticScheduledPaymentConsents } from '../domestic-scheduled-payment-consents/domestic-scheduled-payment-consents.resource.ts';
import { domesticScheduledPayments } from '../domestic-scheduled-payments/domestic-scheduled-payments.resource.ts';
import { domesticStandingOrderConsents } from '../domestic-standing-order-consents/domestic-standing-order-consents.resource.ts';
import { domesticStandingOrders } from '../domestic-standing-orders/domestic-standing-orders.resource.ts';
import { filePaymentConsents } from '../file-payment-consents/file-payment-consents.resource.ts';
import { filePayments } from '../file-payments/file-payments.resource.ts';
import { internationalPaymentConsents } from '../international-payment-consents/international-payment-consents.resource.ts';
import { internationalPayments } from '../international-payments/international-payments.resource.ts';
import { internationalScheduledPaymentConsents } from '../international-scheduled-payment-consents/international-scheduled-payment-consents.resource.ts';
import { internationalScheduledPayments } from '../international-scheduled-payments/international-scheduled-payments.resource.ts';
import { internationalStandingOrderConsents } from '../international-standing-order-consents/international-standing-order-consents.resource.ts';
import { internationalStandingOrders } from '../international-standing-orders/international-standing-orders.resource.ts';
import { checkConsentAuthorised } from '../security/consent-checks.ts';
import { checkGrantType, checkInteractionHeaders, checkScope } from '../security/fapi-checks.ts';
import type { PisResource, PisRouteContext } from './pis-route-context.ts';
import { preparePisRouteFamily, type PaymentInitiationRoutesOptions } from './pis-route-family.ts';

/**
 * The OB v4.0 Payment Initiation API (domestic and international payments, scheduled payments,
 * standing orders, file payments), one encapsulated route family (`preparePisRouteFamily`): a table
 * of resource descriptors (`definePaymentConsentResource`, `definePaymentOrderResource`).
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
  const { exchangeRates: rates, filePayments: fileLimits } = options;
  const resources: PisResource[] = [
    domesticPaymentConsents,
    domesticPayments,
    domesticScheduledPaymentConsents,
    domesticScheduledPayments,
    domesticStandingOrderConsents,
    domesticStandingOrders,
    // Scheduled payments convert at their date, standing orders at each instalment: both on the
    // exchange rates the composition root gives the payments module. Without rates, none is served.
    ...(rates
      ? [
          internationalPaymentConsents,
          internationalPayments,
          internationalScheduledPaymentConsents,
          internationalScheduledPayments,
          internationalStandingOrderConsents,
          internationalStandingOrders,
        ]
      : []),
    ...(fileLimits ? [filePaymentConsents(fileLimits), filePayments] : []),
  ];
  for (const resource of resources) resource.register(app, context);
}
