import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Errors of variable recurring payments (VRP consents and the VRPs made under them). Details name
 * fields by neutral `FieldRef`s.
 */
export const VrpErrors = defineErrors('VRP', {
  // OB v4.0 VRP: a payment that breaks the consent's ControlParameters is refused with U014
  // (UK.OBIE.Rules.FailsControlParameters); nothing is created and the consent stays usable.
  FAILS_CONTROL_PARAMETERS: exposed(400, 'rules.exceeds-controls', "The payment is outside the consent's control parameters"),
  CONTROL_PARAMETERS_INVALID: exposed(400, 'field.invalid', 'The control parameters are not valid'),
  VALIDITY_INVALID: exposed(400, 'field.invalid-date', 'ValidToDateTime must be in the future and after ValidFromDateTime'),
  // OB v4.0 VRP: "The Initiation section ... must match the Initiation section of the corresponding consent".
  INITIATION_MISMATCH: exposed(400, 'consent.mismatch', 'The payment mandate must be exactly the one the PSU authorised'),
  CREDITOR_MISMATCH: exposed(400, 'consent.mismatch', "Instruction.CreditorAccount must be the consent's CreditorAccount"),
  // OB v4.0 VRP PUT/PATCH /domestic-vrp-consents/{ConsentId}: "only to be used for version
  // migrations". One version is served, so no consent has a later one to move to: the method is not
  // allowed on it (405, which the operations list), and its status does not permit the change (U009).
  MIGRATION_UNAVAILABLE: exposed(405, 'consent.invalid-status', 'Consents are migrated only to a later version of the VRP API; this consent is already of the only version served (v4.0)'),
});
