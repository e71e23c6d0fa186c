import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { neutralScheme, referenceOf, vrpConsentRequestOf, vrpControlTermsOf } from '../domestic-vrp-consents/domestic-vrp-consents.schema.ts';
import { obConsentMatch } from '../_wire/ob-payment-instruction.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import { idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { submitDomesticVrpBody, toObDomesticVrpResponse, toObVrpDetailsResponse, type ObDomesticVrpRequest } from './domestic-vrps.schema.ts';
import { wiredAsReceived } from '../_wire/wire-store.ts';

/** OB v4.0 VRP `/domestic-vrps`: `POST`, `GET …/{DomesticVRPId}` and `GET …/payment-details`. */
export const domesticVrps = definePaymentOrderResource<ObDomesticVrpRequest, DomesticPayment>({
  path: '/domestic-vrps',
  idParam: 'DomesticVRPId',
  kind: 'domestic-vrp',
  wire: 'payment',
  body: submitDomesticVrpBody,
  async submit(context, { consent, body, headers, received }, self) {
    const consented = vrpConsentRequestOf(consent);
    const { Instruction } = body.Data;
    const { payment } = await context.payments.submitDomesticVrp(
      {
        consent,
        consentId: body.Data.ConsentId,
        // OB v4.0 VRP: "The Initiation section must match the Initiation section of the VRP consent".
        match: obConsentMatch({ Initiation: body.Data.Initiation }, { Initiation: consented.Data.Initiation }),
        controls: vrpControlTermsOf(consented.Data.ControlParameters),
        instruction: {
          amount: { decimal: Instruction.InstructedAmount.Amount, currency: Instruction.InstructedAmount.Currency },
          creditor: { name: Instruction.CreditorAccount.Name, scheme: neutralScheme(Instruction.CreditorAccount.SchemeName), identification: Instruction.CreditorAccount.Identification },
          reference: referenceOf(Instruction.RemittanceInformation),
        },
        ...received,
        idempotencyKey: idempotencyKeyOf(headers),
        shareRefundAccount: consented.Data.ReadRefundAccount === 'Yes',
      },
      context.now(),
    );
    return toObDomesticVrpResponse(wiredAsReceived(received, payment), self(payment.id));
  },
  read: (context, id, clientId) => context.payments.getPayment(id, { kind: 'recurring', reach: 'domestic' }, clientId),
  respond: (_context, payment, self) => toObDomesticVrpResponse(payment, self),
  // `OBDomesticVRPDetails` has no Links.
  details: (_context, payment) => toObVrpDetailsResponse(payment),
});
