import type { FastifyInstance } from 'fastify';
import { getDomesticVrpForClient, submitDomesticVrp } from '../../../../modules/payments/index.ts';
import { neutralScheme, referenceOf, vrpConsentRequestOf, vrpControlTermsOf } from '../domestic-vrp-consents/domestic-vrp-consents.schema.ts';
import { idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { obConsentMatch } from '../_wire/ob-payment-instruction.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  domesticVrpIdParams,
  submitDomesticVrpBody,
  toObDomesticVrpResponse,
  toObVrpDetailsResponse,
  type DomesticVrpIdParams,
  type ObDomesticVrpRequest,
} from './domestic-vrps.schema.ts';

const PATH = `${PISP}/domestic-vrps`;

/**
 * OB v4.0 VRP `POST /domestic-vrps` (the PSU's token for the authorised VRP consent, signed,
 * idempotent), `GET /domestic-vrps/{DomesticVRPId}` and `GET …/payment-details` (the TPP's token).
 */
export async function domesticVrpsRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/domestic-vrps/${encodeURIComponent(id)}`);

  app.post<{ Body: ObDomesticVrpRequest }>(
    PATH,
    { onRequest: context.psuSecurity(), preValidation: context.signedRequest, schema: { body: submitDomesticVrpBody } },
    async (request, reply) => {
      const consent = authorisedConsentOf(request);
      const consented = vrpConsentRequestOf(consent);
      const { Instruction } = request.body.Data;
      const { payment } = await submitDomesticVrp(
        { db: context.db, core: context.core, onSubmitted: context.onPaymentSubmitted },
        {
          consent,
          consentId: request.body.Data.ConsentId,
          // OB v4.0 VRP: "The Initiation section must match the Initiation section of the VRP consent".
          match: obConsentMatch({ Initiation: request.body.Data.Initiation }, { Initiation: consented.Data.Initiation }),
          controls: vrpControlTermsOf(consented.Data.ControlParameters),
          instruction: {
            amount: { decimal: Instruction.InstructedAmount.Amount, currency: Instruction.InstructedAmount.Currency },
            creditor: { name: Instruction.CreditorAccount.Name, scheme: neutralScheme(Instruction.CreditorAccount.SchemeName), identification: Instruction.CreditorAccount.Identification },
            reference: referenceOf(Instruction.RemittanceInformation),
          },
          request: request.body as unknown as Record<string, unknown>,
          idempotencyKey: idempotencyKeyOf(request.headers),
          shareRefundAccount: consented.Data.ReadRefundAccount === 'Yes',
        },
        context.now(),
      );
      return reply.status(201).send(toObDomesticVrpResponse(payment, self(payment.id)));
    },
  );

  app.get<{ Params: DomesticVrpIdParams }>(`${PATH}/:DomesticVRPId`, { onRequest: context.tppSecurity, schema: { params: domesticVrpIdParams } }, async (request) => {
    const payment = await getDomesticVrpForClient(context.db, request.params.DomesticVRPId, verifiedTokenOf(request).clientId);
    return toObDomesticVrpResponse(payment, self(payment.id));
  });

  app.get<{ Params: DomesticVrpIdParams }>(`${PATH}/:DomesticVRPId/payment-details`, { onRequest: context.tppSecurity, schema: { params: domesticVrpIdParams } }, async (request) => {
    const payment = await getDomesticVrpForClient(context.db, request.params.DomesticVRPId, verifiedTokenOf(request).clientId);
    return toObVrpDetailsResponse(payment);
  });
}
