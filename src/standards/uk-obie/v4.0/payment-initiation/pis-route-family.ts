import type { FastifyInstance } from 'fastify';
import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { ExchangeRates } from '../../../../core/fx/index.ts';
import type { ConsentsApi } from '../../../../modules/consents/index.ts';
import type { FilePaymentLimits, PaymentsApi } from '../../../../modules/payments/index.ts';
import type { ObWireStore } from '../_wire/wire-store.ts';
import { obValidatorCompiler } from '../ob-request-validation.ts';
import { captureRawBody } from '../../../../platform/http/index.ts';
import { checkAccessToken, checkGrantType, checkInteractionHeaders, checkScope, checkTokenBinding, checkTppCertificate, requireMtls, runConcurrently, type TppCertificateValidator } from '../security/fapi-checks.ts';
import { decorateSecurityContext, type SecurityStep } from '../security/security-context.ts';
import { signResponse, type ResponseSigner } from '../security/sign-response.ts';
import type { TppSigningKeysResolver } from '../security/tpp-signing-keys.ts';
import { verifyJwsSignature } from '../security/verify-jws-signature.ts';
import type { PisRouteContext } from './pis-route-context.ts';

/** The options of the OB v4.0 Payment Initiation and VRP route families. */
export interface PaymentInitiationRoutesOptions {
  /** Payment consents and orders (src/modules/payments), built with the same rates and file limits. */
  readonly payments: PaymentsApi;
  readonly consents: Pick<ConsentsApi, 'findForRequest'>;
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readonly publicUrl: string;
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  /** Signs response bodies with the bank's key published at its `jwks_uri` (`createResponseSigner`). */
  readonly responseSigner: ResponseSigner;
  /** Where a TPP's published signing keys are found (`directoryTppSigningKeys`). */
  readonly tppSigningKeys: TppSigningKeysResolver;
  /** The `http://openbanking.org.uk/tan` values accepted: the directory's (`trustAnchorsOf`). */
  readonly trustAnchors: readonly string[];
  /** The bank's exchange rates (src/core/fx); without them the international payment routes are not served. */
  readonly exchangeRates?: ExchangeRates | undefined;
  /** The limits on payment files (src/platform/config); without them the file payment routes are not served. */
  readonly filePayments?: FilePaymentLimits | undefined;
  readonly now?: (() => Date) | undefined;
  /** The OB request bodies the responses echo. */
  readonly wire: ObWireStore;
}

/** What a PIS route family builds its own `psuSecurity` from, and the rest of its route context. */
export interface PisRouteFamily {
  readonly now: () => Date;
  /** The caller is a TPP with a certificate the directory vouches for and a token bound to it. */
  caller(): SecurityStep[];
  readonly context: Omit<PisRouteContext, 'psuSecurity'>;
}

/**
 * Sets up `app` as one encapsulated OB v4.0 payments route family (Payment Initiation API, VRP
 * API): its requests keep their raw bodies (for `x-jws-signature`), their bodies are validated
 * against the official schemas, and every response the spec signs is signed by the bank
 * (`signResponse`). The TPP and signed-request pipelines are the same in both APIs; the PSU
 * pipeline differs by the consent it checks, so each family composes it from `caller`.
 */
export function preparePisRouteFamily(app: FastifyInstance, options: PaymentInitiationRoutesOptions): PisRouteFamily {
  decorateSecurityContext(app);
  captureRawBody(app);
  app.setValidatorCompiler(obValidatorCompiler);
  app.addHook('onSend', signResponse(options.responseSigner));
  const now = options.now ?? (() => new Date());

  const caller = (): SecurityStep[] => [
    requireMtls(),
    // Both wait on the shared cache and neither needs the other: one wait instead of two.
    runConcurrently(checkTppCertificate(options.validateTppCertificate, 'PISP'), checkAccessToken(options.accessTokens)),
    checkTokenBinding(),
  ];
  const context: Omit<PisRouteContext, 'psuSecurity'> = {
    payments: options.payments,
    publicUrl: options.publicUrl,
    now,
    wire: options.wire,
    // OB v4.0 `TPPOAuth2Security: [payments]`: consent resources and reads of payments and VRPs.
    tppSecurity: [...caller(), checkGrantType('client_credentials'), checkScope('payments'), checkInteractionHeaders()],
    // OB v4.0 PIS and VRP: `x-jws-signature` is required on every POST (non-repudiation of the instruction).
    signedRequest: [verifyJwsSignature({ signingKeys: options.tppSigningKeys, trustAnchors: options.trustAnchors, now })],
  };
  return { now, caller, context };
}
