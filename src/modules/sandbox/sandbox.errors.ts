import { defineErrors } from '../../platform/errors/index.ts';

export const SandboxErrors = defineErrors('SANDBOX', {
  ALREADY_SEEDED: {
    status: 409,
    reason: 'Rules.ResourceAlreadyExists',
    message: 'The sandbox bank is already seeded; seed again with --reset to replace it',
    expose: true,
  },
  INCONSISTENT_LEDGER: {
    status: 500,
    reason: 'UnexpectedError',
    message: 'The seeded ledger does not add up',
    expose: false,
  },
});
