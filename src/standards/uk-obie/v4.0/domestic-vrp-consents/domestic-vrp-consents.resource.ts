import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PaymentErrors, VrpErrors } from '../../../../modules/payments/index.ts';
import { AppError, isAppError } from '../../../../platform/errors/index.ts';
import { consentIdParams, type ConsentIdParams } from '../consent-id-params.ts';
import { definePaymentConsentResource } from '../payment-initiation/define-payment-consent-resource.ts';
import { PISP } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  createDomesticVrpConsentBody,
  neutralScheme,
  referenceOf,
  toObVrpConsentResponse,
  toObVrpFundsConfirmationResponse,
  vrpControlTermsOf,
  vrpFundsConfirmationBody,
  type ObDomesticVrpConsentRequest,
  type ObVrpFundsConfirmationRequest,
} from './domestic-vrp-consents.schema.ts';

const PATH = `${PISP}/domestic-vrp-consents`;

/**
 * OB v4.0 VRP `/domestic-vrp-consents`: `POST` (signed, idempotent), `GET` and `DELETE
 * …/{ConsentId}` (the TPP's token) and `POST …/{ConsentId}/funds-confirmation` (the PSU's token for
 * that consent, signed). `PUT` and `PATCH …/{ConsentId}` (version migrations) are answered with the
 * standard's error: there is no other version to migrate to.
 */
export const domesticVrpConsents = definePaymentConsentResource<ObDomesticVrpConsentRequest>({
  path: '/domestic-vrp-consents',
  kind: 'domestic-vrp',
  body: createDomesticVrpConsentBody,
  async stage(context, input, { Data: { ControlParameters, Initiation } }) {
    const consent = await context.payments.stageDomesticVrpConsent(
      {
        ...input,
        controls: vrpControlTermsOf(ControlParameters),
        creditor: Initiation.CreditorAccount
          ? { name: Initiation.CreditorAccount.Name, scheme: neutralScheme(Initiation.CreditorAccount.SchemeName), identification: Initiation.CreditorAccount.Identification }
          : undefined,
        debtor: Initiation.DebtorAccount ? { scheme: neutralScheme(Initiation.DebtorAccount.SchemeName), identification: Initiation.DebtorAccount.Identification } : undefined,
        reference: referenceOf(Initiation.RemittanceInformation),
      },
      context.now(),
    );
    return { consent, debtor: null };
  },
  respond: (view, self) => toObVrpConsentResponse(view.consent, view.debtor, self),
  routes(app, context) {
    // Revocation by the TPP: the consent reads CANC and no VRP is accepted under it from the next call.
    app.delete<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request, reply) => {
      await context.payments.deleteDomesticVrpConsent(request.params.ConsentId, verifiedTokenOf(request).clientId, context.now());
      return reply.status(204).send();
    });

    // OB v4.0 VRP: PUT and PATCH are "only to be used for version migrations". After the TPP's own
    // checks the use case refuses them (405, with `Allow` naming the methods served: RFC 9110
    // §15.5.6). A JSON Patch body is taken as bytes and never read, so it meets that answer too
    // rather than a 415.
    app.addContentTypeParser('application/json-patch+json', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, body);
    });
    const migrate = async (request: FastifyRequest<{ Params: ConsentIdParams }>, reply: FastifyReply) => {
      try {
        return await context.payments.migrateDomesticVrpConsent(request.params.ConsentId, verifiedTokenOf(request).clientId, context.now());
      } catch (error) {
        if (isAppError(error) && error.code === VrpErrors.MIGRATION_UNAVAILABLE.code) reply.header('allow', 'GET, DELETE');
        throw error;
      }
    };
    app.put<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, migrate);
    app.patch<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, migrate);

    app.post<{ Params: ConsentIdParams; Body: ObVrpFundsConfirmationRequest }>(
      `${PATH}/:ConsentId/funds-confirmation`,
      { onRequest: context.psuSecurity(), preValidation: context.signedRequest, schema: { params: consentIdParams, body: vrpFundsConfirmationBody } },
      async (request, reply) => {
        const consent = authorisedConsentOf(request);
        // The PSU's token is for one consent: it confirms funds for that one only, named alike in path and body.
        if (request.params.ConsentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ path: 'ConsentId' }] });
        if (request.body.Data.ConsentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ path: 'Data.ConsentId' }] });
        const { InstructedAmount } = request.body.Data;
        const result = await context.payments.confirmVrpFunds(consent, { decimal: InstructedAmount.Amount, currency: InstructedAmount.Currency }, context.now());
        // OB FundsConfirmationId: at most 40 characters; the check is not stored, so the id only names this answer.
        return reply.status(201).send(toObVrpFundsConfirmationResponse(request.body, { id: `vfc-${randomUUID()}`, ...result }));
      },
    );
  },
});
