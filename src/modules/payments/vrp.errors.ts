import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Errors of variable recurring payments (VRP consents and the VRPs made under them). Paths name
 * the OB v4.0 VRP fields.
 */
export const VrpErrors = defineErrors('VRP', {
  // OB v4.0 VRP: a payment that breaks the consent's ControlParameters is refused with U014
  // (UK.OBIE.Rules.FailsControlParameters); nothing is created and the consent stays usable.
  FAILS_CONTROL_PARAMETERS: { status: 400, reason: 'Rules.FailsControlParameters', message: "The payment is outside the consent's control parameters", expose: true },
  CONTROL_PARAMETERS_INVALID: { status: 400, reason: 'Field.Invalid', message: 'The control parameters are not valid', expose: true },
  VALIDITY_INVALID: { status: 400, reason: 'Field.InvalidDate', message: 'ValidToDateTime must be in the future and after ValidFromDateTime', expose: true },
  // OB v4.0 VRP: "The Initiation section ... must match the Initiation section of the corresponding consent".
  INITIATION_MISMATCH: { status: 400, reason: 'Resource.ConsentMismatch', message: 'Initiation must be exactly that of the authorised consent', expose: true },
  CREDITOR_MISMATCH: { status: 400, reason: 'Resource.ConsentMismatch', message: "Instruction.CreditorAccount must be the consent's CreditorAccount", expose: true },
});
