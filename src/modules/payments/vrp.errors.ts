import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Errors of variable recurring payments (VRP consents and the VRPs made under them). Details name
 * fields by neutral `FieldRef`s.
 */
export const VrpErrors = defineErrors('VRP', {
  // OB v4.0 VRP: a payment that breaks the consent's ControlParameters is refused with U014
  // (UK.OBIE.Rules.FailsControlParameters); nothing is created and the consent stays usable.
  FAILS_CONTROL_PARAMETERS: { status: 400, reason: 'rules.exceeds-controls', message: "The payment is outside the consent's control parameters", expose: true },
  CONTROL_PARAMETERS_INVALID: { status: 400, reason: 'field.invalid', message: 'The control parameters are not valid', expose: true },
  VALIDITY_INVALID: { status: 400, reason: 'field.invalid-date', message: 'ValidToDateTime must be in the future and after ValidFromDateTime', expose: true },
  // OB v4.0 VRP: "The Initiation section ... must match the Initiation section of the corresponding consent".
  INITIATION_MISMATCH: { status: 400, reason: 'consent.mismatch', message: 'The payment mandate must be exactly the one the PSU authorised', expose: true },
  CREDITOR_MISMATCH: { status: 400, reason: 'consent.mismatch', message: "Instruction.CreditorAccount must be the consent's CreditorAccount", expose: true },
  // OB v4.0 VRP PUT/PATCH /domestic-vrp-consents/{ConsentId}: "only to be used for version
  // migrations". One version is served, so no consent has a later one to move to: the method is not
  // allowed on it (405, which the operations list), and its status does not permit the change (U009).
  MIGRATION_UNAVAILABLE: {
    status: 405,
    reason: 'consent.invalid-status',
    message: 'Consents are migrated only to a later version of the VRP API; this consent is already of the only version served (v4.0)',
    expose: true,
  },
});
