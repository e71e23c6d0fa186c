import type { FastifyInstance } from 'fastify';
import { domesticVrpConsentsRoutes } from '../domestic-vrp-consents/domestic-vrp-consents.routes.ts';
import { domesticVrpsRoutes } from '../domestic-vrps/domestic-vrps.routes.ts';
import { obValidatorCompiler } from '../ob-request-validation.ts';
import type { PaymentInitiationRoutesOptions } from '../payment-initiation/payment-initiation.routes.ts';
import type { PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { captureRawBody } from '../security/capture-raw-body.ts';
import { checkAccessToken } from '../security/check-access-token.ts';
import { checkConsentAuthorised } from '../security/check-consent-authorised.ts';
import { checkGrantType } from '../security/check-grant-type.ts';
import { checkInteractionHeaders } from '../security/check-interaction-headers.ts';
import { checkScope } from '../security/check-scope.ts';
import { checkTokenBinding } from '../security/check-token-binding.ts';
import { checkTppCertificate } from '../security/check-tpp-certificate.ts';
import { requireMtls } from '../security/require-mtls.ts';
import { runConcurrently } from '../security/run-concurrently.ts';
import { decorateSecurityContext, type SecurityStep } from '../security/security-context.ts';
import { signResponse } from '../security/sign-response.ts';
import { verifyJwsSignature } from '../security/verify-jws-signature.ts';

/**
 * The OB v4.0 VRP API (`vrp-openapi.json`, domestic VRPs), one encapsulated route family beside
 * the Payment Initiation API and with the same options: raw bodies kept for `x-jws-signature`,
 * bodies validated against the official schemas, every response signed by the bank.
 */
export async function vrpRoutes(app: FastifyInstance, options: PaymentInitiationRoutesOptions): Promise<void> {
  decorateSecurityContext(app);
  captureRawBody(app);
  app.setValidatorCompiler(obValidatorCompiler);
  app.addHook('onSend', signResponse(options.responseSigner));
  const now = options.now ?? (() => new Date());

  const caller = (): SecurityStep[] => [
    requireMtls(),
    runConcurrently(checkTppCertificate(options.validateTppCertificate), checkAccessToken(options.accessTokens)),
    checkTokenBinding(),
  ];
  const context: PisRouteContext = {
    db: options.db,
    cache: options.cache,
    core: options.core,
    publicUrl: options.publicUrl,
    now,
    onPaymentSubmitted: options.onPaymentSubmitted,
    // `TPPOAuth2Security [payments]`: consent resources and reads of VRPs.
    tppSecurity: [...caller(), checkGrantType('client_credentials'), checkScope('payments'), checkInteractionHeaders()],
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
    // OB v4.0 VRP: `x-jws-signature` is required on every POST.
    signedRequest: [verifyJwsSignature({ signingKeys: options.tppSigningKeys, trustAnchors: options.trustAnchors, now })],
  };
  await domesticVrpConsentsRoutes(app, context);
  await domesticVrpsRoutes(app, context);
}
