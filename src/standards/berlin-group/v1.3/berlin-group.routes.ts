import type { FastifyInstance } from 'fastify';
import type { AccountsApi } from '../../../modules/accounts/index.ts';
import type { ConsentsApi } from '../../../modules/consents/index.ts';
import type { FundsApi } from '../../../modules/funds/index.ts';
import type { PsuAuthorisationApi } from '../../../modules/psu-authorisation/index.ts';
import type { Xs2aWireStore } from './_wire/xs2a-wire-store.ts';
import { accountsRoutes } from './accounts/accounts.routes.ts';
import { cardAccountsRoutes } from './card-accounts/card-accounts.routes.ts';
import { consentsRoutes } from './consents/consents.routes.ts';
import { fundsConfirmationRoutes } from './funds/funds-confirmations.routes.ts';
import { paymentsRoutes, type Xs2aPaymentsApi } from './payments/payments.routes.ts';
import { signingBasketsRoutes } from './signing-baskets/signing-baskets.routes.ts';
import type { SigningBasketsApi } from '../../../modules/signing-baskets/index.ts';
import { captureRawBody } from '../../../platform/http/index.ts';
import { checkRequestSignature, type RequestSignaturePolicy } from './security/check-request-signature.ts';
import { identifyTpp } from './security/identify-tpp.ts';
import { checkRateLimit } from './security/check-rate-limit.ts';
import type { RateLimitsApi } from '../../../modules/rate-limits/index.ts';
import { checkRequestId } from './security/request-headers.ts';
import { decorateXs2aContext, type Xs2aCertificateCheck } from './security/xs2a-context.ts';
import { xs2aValidatorCompiler } from './xs2a-request-validation.ts';

/** Every path the facade serves starts here (DESIGN.md §3). */
export const BERLIN_GROUP_PREFIX = '/berlin-group/';

export interface BerlinGroupRoutesOptions {
  readonly consents: ConsentsApi;
  readonly reads: AccountsApi;
  /** Confirmation of funds (PIIS); absent, it is not served. */
  readonly funds?: FundsApi | undefined;
  /** Payment initiation (PIS); absent, it is not served. */
  readonly payments?: Xs2aPaymentsApi | undefined;
  readonly psuAuthorisation: Pick<PsuAuthorisationApi, 'startSca' | 'findScaOfClient' | 'listScaIds'>;
  /** Signing baskets (SBS); absent, they are not served. */
  readonly signingBaskets?: SigningBasketsApi | undefined;
  readonly wire: Xs2aWireStore;
  /** The directory's verdict on QWACs (transport) and QSealCs (signing). */
  readonly certificates: Xs2aCertificateCheck;
  /** Whether requests must be signed (`XS2A_REQUEST_SIGNATURES`). */
  readonly requestSignatures: RequestSignaturePolicy;
  readonly publicUrl: string;
  /** Rate limits per TPP and consent (src/modules/rate-limits); absent, none. */
  readonly rateLimits?: Pick<RateLimitsApi, 'admit'> | undefined;
  readonly now?: () => Date;
}

/**
 * The Berlin Group NextGenPSD2 v1.3.12 facade over the neutral modules: `X-Request-ID` checked
 * first and echoed on every answer, the TPP identified by its QWAC on every call, signed requests
 * verified (required where the bank says so), and the error bodies of the standard.
 */
export async function berlinGroupRoutes(app: FastifyInstance, options: BerlinGroupRoutesOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  decorateXs2aContext(app);
  captureRawBody(app);
  app.setValidatorCompiler(xs2aValidatorCompiler);
  app.addHook('onRequest', async (request, reply) => {
    const requestId = request.headers['x-request-id'];
    if (typeof requestId === 'string') reply.header('x-request-id', requestId);
  });
  app.addHook('onRequest', checkRequestId());
  // The signature covers the body as sent, so it is checked once the body was read.
  app.addHook('preHandler', checkRequestSignature(options.requestSignatures, options.certificates));
  // Then the TPP's allowance, before any route's own preHandler (the consent's daily reads).
  if (options.rateLimits) app.addHook('preHandler', checkRateLimit(options.rateLimits));
  const { publicUrl } = options;
  await app.register(consentsRoutes, { ...options, now, security: [identifyTpp(options.certificates, 'AIS')] });
  await app.register(accountsRoutes, { ...options, now, security: [identifyTpp(options.certificates, 'AIS')], publicUrl });
  await app.register(cardAccountsRoutes, { ...options, now, security: [identifyTpp(options.certificates, 'AIS')], publicUrl });
  if (options.funds) await app.register(fundsConfirmationRoutes, { ...options, funds: options.funds, now, security: [identifyTpp(options.certificates, 'PIIS')] });
  for (const service of ['payments', 'periodic-payments', 'bulk-payments'] as const) {
    if (options.payments) await app.register(paymentsRoutes, { ...options, service, payments: options.payments, now, security: [identifyTpp(options.certificates, 'PIS')] });
  }
  if (options.signingBaskets) await app.register(signingBasketsRoutes, { ...options, signingBaskets: options.signingBaskets, now, security: [identifyTpp(options.certificates, ['PIS', 'AIS', 'PIIS'])] });
}
