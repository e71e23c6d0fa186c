import type { FastifyInstance } from 'fastify';
import { domesticVrpConsents } from '../domestic-vrp-consents/domestic-vrp-consents.resource.ts';
import { domesticVrps } from '../domestic-vrps/domestic-vrps.resource.ts';
import type { PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { preparePisRouteFamily, type PaymentInitiationRoutesOptions } from '../payment-initiation/pis-route-family.ts';
import { checkConsentAuthorised } from '../security/consent-checks.ts';
import { checkGrantType, checkInteractionHeaders, checkScope } from '../security/fapi-checks.ts';

/**
 * The OB v4.0 VRP API (`vrp-openapi.json`, domestic VRPs), one encapsulated route family beside
 * the Payment Initiation API and with the same options and set-up (`preparePisRouteFamily`).
 */
export async function vrpRoutes(app: FastifyInstance, options: PaymentInitiationRoutesOptions): Promise<void> {
  const { now, caller, context: shared } = preparePisRouteFamily(app, options);
  const context: PisRouteContext = {
    ...shared,
    // The OB VRP profile: VRPs and their funds confirmation use the access token the PSU's
    // authorisation of the VRP consent issued (authorization code), for as long as it is Authorised
    // — a VRP consent is never consumed.
    psuSecurity: () => [
      ...caller(),
      checkGrantType('authorization_code'),
      checkScope('payments'),
      checkInteractionHeaders(),
      checkConsentAuthorised({ consents: options.consents, kind: 'domestic-vrp', now }),
    ],
  };
  for (const resource of [domesticVrpConsents, domesticVrps]) resource.register(app, context);
}
