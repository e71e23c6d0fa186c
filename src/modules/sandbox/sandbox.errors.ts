import { defineErrors, exposed } from '../../platform/errors/index.ts';

export const SandboxErrors = defineErrors('SANDBOX', {
  ALREADY_SEEDED: exposed(409, 'rules.resource-exists', 'The sandbox bank is already seeded; seed again with --reset to replace it'),
  OPERATOR_UNAUTHORISED: exposed(401, 'header.invalid', 'The operator API needs the bearer token the server wrote into its data dir'),
  CERTIFICATE_UNREADABLE: exposed(400, 'field.invalid', 'certificatePem must be one PEM certificate (-----BEGIN CERTIFICATE-----)'),
  INCONSISTENT_LEDGER: {
    status: 500,
    reason: 'unexpected',
    message: 'The seeded ledger does not add up',
    expose: false,
  },
});
