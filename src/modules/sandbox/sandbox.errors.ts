import { defineErrors } from '../../platform/errors/index.ts';

export const SandboxErrors = defineErrors('SANDBOX', {
  ALREADY_SEEDED: {
    status: 409,
    reason: 'rules.resource-exists',
    message: 'The sandbox bank is already seeded; seed again with --reset to replace it',
    expose: true,
  },
  OPERATOR_UNAUTHORISED: {
    status: 401,
    reason: 'header.invalid',
    message: 'The operator API needs the bearer token the server wrote into its data dir',
    expose: true,
  },
  CERTIFICATE_UNREADABLE: {
    status: 400,
    reason: 'field.invalid',
    message: 'certificatePem must be one PEM certificate (-----BEGIN CERTIFICATE-----)',
    expose: true,
  },
  INCONSISTENT_LEDGER: {
    status: 500,
    reason: 'unexpected',
    message: 'The seeded ledger does not add up',
    expose: false,
  },
});
