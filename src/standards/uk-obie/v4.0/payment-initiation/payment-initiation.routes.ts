import type { FastifyInstance } from 'fastify';
import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { CoreBanking } from '../../../../core/index.ts';
import type { ConsentCache } from '../../../../modules/consents/index.ts';
import type { Cache } from '../../../../platform/cache/index.ts';
import type { Db } from '../../../../platform/db/index.ts';
import { domesticPaymentConsentsRoutes } from '../domestic-payment-consents/domestic-payment-consents.routes.ts';
import { domesticPaymentsRoutes } from '../domestic-payments/domestic-payments.routes.ts';
import { domesticScheduledPaymentConsentsRoutes } from '../domestic-scheduled-payment-consents/domestic-scheduled-payment-consents.routes.ts';
import { domesticScheduledPaymentsRoutes } from '../domestic-scheduled-payments/domestic-scheduled-payments.routes.ts';
import { domesticStandingOrderConsentsRoutes } from '../domestic-standing-order-consents/domestic-standing-order-consents.routes.ts';
import { domesticStandingOrdersRoutes } from '../domestic-standing-orders/domestic-standing-orders.routes.ts';
import { obValidatorCompiler } from '../ob-request-validation.ts';
import { captureRawBody } from '../security/capture-raw-body.ts';
import { checkAccessToken } from '../security/check-access-token.ts';
import { checkConsentAuthorised } from '../security/check-consent-authorised.ts';
import { checkGrantType } from '../security/check-grant-type.ts';
import { checkInteractionHeaders } from '../security/check-interaction-headers.ts';
import { checkScope } from '../security/check-scope.ts';
import { checkTokenBinding } from '../security/check-token-binding.ts';
import { checkTppCertificate, type TppCertificateValidator } from '../security/check-tpp-certificate.ts';
import { requireMtls } from '../security/require-mtls.ts';
import { runConcurrently } from '../security/run-concurrently.ts';
import { decorateSecurityContext, type SecurityStep } from '../security/security-context.ts';
import { signResponse, type ResponseSigner } from '../security/sign-response.ts';
import type { TppSigningKeysResolver } from '../security/tpp-signing-keys.ts';
import { verifyJwsSignature } from '../security/verify-jws-signature.ts';
import type { PisRouteContext } from './pis-route-context.ts';

export interface PaymentInitiationRoutesOptions {
  readonly db: Db;
  readonly cache: Cache;
  readonly core: CoreBanking;
  readonly consents: Pick<ConsentCache, 'find'>;
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readonly publicUrl: string;
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  /** Signs response bodies with the bank's key published at its `jwks_uri` (`createResponseSigner`). */
  readonly responseSigner: ResponseSigner;
  /** Where a TPP's published signing keys are found (`directoryTppSigningKeys`). */
  readonly tppSigningKeys: TppSigningKeysResolver;
  /** The `http://openbanking.org.uk/tan` values accepted: the directory's (`trustAnchorsOf`). */
  readonly trustAnchors: readonly string[];
  /** Told after a new payment commits (the composition root wakes the scheduler). */
  readonly onPaymentSubmitted?: ((paymentId: string) => void) | undefined;
  readonly now?: (() => Date) | undefined;
}

/**
 * The OB v4.0 Payment Initiation API (domestic payments), one encapsulated route family: its
 * requests keep their raw bodies (for `x-jws-signature`), their bodies are validated against the
 * official schemas, and every response the spec signs is signed by the bank (`signResponse`).
 */
export async function paymentInitiationRoutes(app: FastifyInstance, options: PaymentInitiationRoutesOptions): Promise<void> {
  decorateSecurityContext(app);
  captureRawBody(app);
  app.setValidatorCompiler(obValidatorCompiler);
  app.addHook('onSend', signResponse(options.responseSigner));
  const now = options.now ?? (() => new Date());

  // The caller is a TPP with a certificate the directory vouches for and a token bound to it.
  const caller = (): SecurityStep[] => [
    requireMtls(),
    // Both wait on the shared cache and neither needs the other: one wait instead of two.
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
    // OB v4.0 `TPPOAuth2Security: [payments]`.
    tppSecurity: [...caller(), checkGrantType('client_credentials'), checkScope('payments'), checkInteractionHeaders()],
    // OB v4.0 `PSUOAuth2Security: [payments]`: the token the PSU's authorisation of this consent issued.
    psuSecurity: ({ acceptConsumed = false, kind = 'domestic-payment' } = {}) => [
      ...caller(),
      checkGrantType('authorization_code'),
      checkScope('payments'),
      checkInteractionHeaders(),
      checkConsentAuthorised({ consents: options.consents, kind, acceptConsumed, now }),
    ],
    // OB v4.0 PIS: `x-jws-signature` is required on every POST (non-repudiation of the instruction).
    signedRequest: [verifyJwsSignature({ signingKeys: options.tppSigningKeys, trustAnchors: options.trustAnchors, now })],
  };
  await domesticPaymentConsentsRoutes(app, context);
  await domesticPaymentsRoutes(app, context);
  await domesticScheduledPaymentConsentsRoutes(app, context);
  await domesticScheduledPaymentsRoutes(app, context);
  await domesticStandingOrderConsentsRoutes(app, context);
  await domesticStandingOrdersRoutes(app, context);
}
