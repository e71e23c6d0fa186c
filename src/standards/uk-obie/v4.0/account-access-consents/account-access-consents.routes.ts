import type { FastifyInstance } from 'fastify';
import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { ConsentsApi } from '../../../../modules/consents/index.ts';
import { accessScopeOfObPermissions } from '../_wire/ob-access-scope.ts';
import type { ObWireBody, ObWireStore } from '../_wire/wire-store.ts';
import { obValidatorCompiler } from '../ob-request-validation.ts';
import { checkAccessToken, checkGrantType, checkInteractionHeaders, checkScope, checkTokenBinding, checkTppCertificate, requireMtls, type TppCertificateValidator } from '../security/fapi-checks.ts';
import { decorateSecurityContext, verifiedTokenOf, type SecurityStep } from '../security/security-context.ts';
import {
  consentIdParams,
  createAccountAccessConsentBody,
  toObReadConsentResponse,
  type ConsentIdParams,
  type ObReadConsent1,
} from './account-access-consents.schema.ts';

export interface AccountAccessConsentsRoutesOptions {
  readonly consents: ConsentsApi;
  /** The request of each consent, kept to echo its Permissions as sent (decision 0005g). */
  readonly wire: ObWireStore;
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  /** The public base URL (Links.Self). */
  readonly publicUrl: string;
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  readonly now?: () => Date;
}

/** OB v4.0 Account and Transaction API (`servers: /open-banking/v4.0/aisp`). */
const PATH = '/open-banking/v4.0/aisp/account-access-consents';

const optionalDate = (value: string | undefined) => (value === undefined ? null : new Date(value));

/**
 * OB v4.0 AIS account-access consents: `POST /account-access-consents`, `GET` and `DELETE
 * /account-access-consents/{ConsentId}`. A TPP creates, reads and deletes its own consents.
 */
export async function accountAccessConsentsRoutes(app: FastifyInstance, options: AccountAccessConsentsRoutesOptions): Promise<void> {
  const { consents, wire } = options;
  const now = options.now ?? (() => new Date());
  decorateSecurityContext(app);
  app.setValidatorCompiler(obValidatorCompiler);
  const self = (id: string) => new URL(`${PATH}/${encodeURIComponent(id)}`, options.publicUrl).toString();

  // OB v4.0 `security: TPPOAuth2Security [accounts]`: the TPP acting for itself, over mTLS, with a
  // client-credentials token bound to this connection's certificate (FAPI 1.0 Adv §6.2.1-1, RFC 8705 §3).
  const tppSecurity: SecurityStep[] = [
    requireMtls(),
    checkTppCertificate(options.validateTppCertificate, 'AISP'),
    checkAccessToken(options.accessTokens),
    checkTokenBinding(),
    checkGrantType('client_credentials'),
    checkScope('accounts'),
    checkInteractionHeaders(),
  ];

  app.post<{ Body: ObReadConsent1 }>(PATH, { onRequest: tppSecurity, schema: { body: createAccountAccessConsentBody } }, async (request, reply) => {
    const { Data } = request.body;
    const at = now();
    const consent = await consents.create(
      {
        kind: 'account-access',
        clientId: verifiedTokenOf(request).clientId,
        access: accessScopeOfObPermissions(Data.Permissions, { from: optionalDate(Data.TransactionFromDateTime), to: optionalDate(Data.TransactionToDateTime) }),
        expiresAt: optionalDate(Data.ExpirationDateTime) ?? undefined,
      },
      at,
      wire.keep('consent', request.body, at),
    );
    return reply.status(201).send(toObReadConsentResponse(consent, self(consent.id), request.body as unknown as ObWireBody));
  });

  app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: tppSecurity, schema: { params: consentIdParams } }, async (request) => {
    const { ConsentId } = request.params;
    const [consent, kept] = await Promise.all([consents.findForClient({ id: ConsentId, clientId: verifiedTokenOf(request).clientId, kind: 'account-access' }, now()), wire.find('consent', ConsentId)]);
    return toObReadConsentResponse(consent, self(consent.id), kept);
  });

  app.delete<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: tppSecurity, schema: { params: consentIdParams } }, async (request, reply) => {
    await consents.revokeForClient({ id: request.params.ConsentId, clientId: verifiedTokenOf(request).clientId, kind: 'account-access' }, now());
    return reply.status(204).send();
  });
}
