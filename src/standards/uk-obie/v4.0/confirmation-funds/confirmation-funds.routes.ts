import type { FastifyInstance } from 'fastify';
import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { ConsentsApi } from '../../../../modules/consents/index.ts';
import { fundsConfirmationConsentsRoutes } from '../funds-confirmation-consents/funds-confirmation-consents.routes.ts';
import { fundsConfirmationsRoutes } from '../funds-confirmations/funds-confirmations.routes.ts';
import { obValidatorCompiler } from '../ob-request-validation.ts';
import { checkAccessToken, checkGrantType, checkInteractionHeaders, checkScope, checkTokenBinding, checkTppCertificate, requireMtls, runConcurrently, type TppCertificateValidator } from '../security/fapi-checks.ts';
import { checkConsentAuthorised } from '../security/consent-checks.ts';
import { decorateSecurityContext, type SecurityStep } from '../security/security-context.ts';
import type { CbpiiRouteContext } from './cbpii-route-context.ts';

export interface ConfirmationFundsRoutesOptions {
  readonly funds: CbpiiRouteContext['funds'];
  readonly consents: Pick<ConsentsApi, 'findForRequest'>;
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readonly publicUrl: string;
  readonly wire: CbpiiRouteContext['wire'];
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  readonly now?: (() => Date) | undefined;
}

/**
 * The OB v4.0 Confirmation of Funds API (`confirmation-funds-openapi.json`), one encapsulated route
 * family: bodies validated against the official schemas. The v4.0 CBPII file defines no
 * `x-jws-signature` on requests or responses, so none is required or sent.
 */
export async function confirmationFundsRoutes(app: FastifyInstance, options: ConfirmationFundsRoutesOptions): Promise<void> {
  decorateSecurityContext(app);
  app.setValidatorCompiler(obValidatorCompiler);
  const now = options.now ?? (() => new Date());

  // The caller is a TPP with a certificate the directory vouches for and a token bound to it.
  const caller = (): SecurityStep[] => [
    requireMtls(),
    // Both wait on the shared cache and neither needs the other: one wait instead of two.
    runConcurrently(checkTppCertificate(options.validateTppCertificate, 'CBPII'), checkAccessToken(options.accessTokens)),
    checkTokenBinding(),
  ];
  const context: CbpiiRouteContext = {
    funds: options.funds,
    publicUrl: options.publicUrl,
    now,
    wire: options.wire,
    // OB v4.0 `TPPOAuth2Security: [fundsconfirmations]`.
    tppSecurity: [...caller(), checkGrantType('client_credentials'), checkScope('fundsconfirmations'), checkInteractionHeaders()],
    // OB v4.0 `PSUOAuth2Security: [fundsconfirmations]`: the token the PSU's authorisation of this consent issued.
    psuSecurity: [
      ...caller(),
      checkGrantType('authorization_code'),
      checkScope('fundsconfirmations'),
      checkInteractionHeaders(),
      checkConsentAuthorised({ consents: options.consents, kind: 'funds-confirmation', now }),
    ],
  };
  await fundsConfirmationConsentsRoutes(app, context);
  await fundsConfirmationsRoutes(app, context);
}
