import { defineErrors } from '../../platform/errors/index.ts';

export const SandboxErrors = defineErrors('SANDBOX', {
  ALREADY_SEEDED: {
    status: 409,
    reason: 'Rules.ResourceAlreadyExists',
    message: 'The sandbox bank is already seeded; seed again with --reset to replace it',
    expose: true,
  },
  OPERATOR_UNAUTHORISED: {
    status: 401,
    reason: 'Header.Invalid',
    message: 'The operator API needs the bearer token the server wrote into its data dir',
    expose: true,
  },
  CERTIFICATE_UNREADABLE: {
    status: 400,
    reason: 'Field.Invalid',
    message: 'certificatePem must be one PEM certificate (-----BEGIN CERTIFICATE-----)',
    expose: true,
  },
  INCONSISTENT_LEDGER: {
    status: 500,
    reason: 'UnexpectedError',
    message: 'The seeded ledger does not add up',
    expose: false,
  },
});
