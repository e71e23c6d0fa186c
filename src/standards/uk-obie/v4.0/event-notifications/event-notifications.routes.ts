import type { FastifyInstance } from 'fastify';
import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { EventsApi } from '../../../../modules/events/index.ts';
import { eventSubscriptionsRoutes } from '../event-subscriptions/event-subscriptions.routes.ts';
import { eventsRoutes } from '../events/events.routes.ts';
import { obValidatorCompiler } from '../ob-request-validation.ts';
import { captureRawBody } from '../../../../platform/http/index.ts';
import { checkAccessToken, checkGrantType, checkInteractionHeaders, checkScope, checkTokenBinding, checkTppCertificate, requireMtls, runConcurrently, type TppCertificateValidator } from '../security/fapi-checks.ts';
import { decorateSecurityContext } from '../security/security-context.ts';
import { signResponse, type ResponseSigner } from '../security/sign-response.ts';
import type { TppSigningKeysResolver } from '../security/tpp-signing-keys.ts';
import { verifyJwsSignature } from '../security/verify-jws-signature.ts';
import type { SetSigner } from './security-event-token.ts';

export interface EventNotificationRoutesOptions {
  readonly events: EventsApi;
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readonly publicUrl: string;
  /** `iss` of the SETs: the bank's issuer. */
  readonly issuer: string;
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  /** Signs the subscription responses (`x-jws-signature` on their 200 and 201). */
  readonly responseSigner: ResponseSigner;
  readonly tppSigningKeys: TppSigningKeysResolver;
  readonly trustAnchors: readonly string[];
  readonly setSigner: SetSigner;
  readonly now?: (() => Date) | undefined;
}

/** The statuses `events-openapi.json` declares `x-jws-signature` on: the subscriptions' 200 and 201. */
const SIGNED = new Set([200, 201]);

/**
 * The OB v4.0 event APIs a TPP calls (`events-openapi.json`): event subscriptions and aggregated
 * polling, one encapsulated route family. Subscription requests carry a detached JWS and their
 * successful responses are signed; polls are neither (the specification signs the SETs instead).
 */
export async function eventNotificationRoutes(app: FastifyInstance, options: EventNotificationRoutesOptions): Promise<void> {
  decorateSecurityContext(app);
  captureRawBody(app);
  app.setValidatorCompiler(obValidatorCompiler);
  const now = options.now ?? (() => new Date());
  const context = {
    events: options.events,
    publicUrl: options.publicUrl,
    issuer: options.issuer,
    setSigner: options.setSigner,
    now,
    // `TPPOAuth2Security: [accounts, payments, fundsconfirmations]`: a client-credentials token of any of the APIs.
    tppSecurity: [
      requireMtls(),
      runConcurrently(checkTppCertificate(options.validateTppCertificate), checkAccessToken(options.accessTokens)),
      checkTokenBinding(),
      checkGrantType('client_credentials'),
      checkScope('accounts', 'payments', 'fundsconfirmations'),
      checkInteractionHeaders(),
    ],
    signedRequest: [verifyJwsSignature({ signingKeys: options.tppSigningKeys, trustAnchors: options.trustAnchors, now })],
  };
  await app.register(async (subscriptions) => {
    subscriptions.addHook('onSend', signResponse(options.responseSigner, SIGNED));
    await eventSubscriptionsRoutes(subscriptions, context);
  });
  await eventsRoutes(app, context);
}
