import { defineErrors, exposed } from '../../../platform/errors/index.ts';

export const LedgerErrors = defineErrors('LEDGER', {
  UNBALANCED: { status: 500, reason: 'unexpected', message: 'Journal entry does not balance', expose: false },
  TOO_FEW_POSTINGS: { status: 500, reason: 'unexpected', message: 'A journal entry needs at least two postings', expose: false },
  ZERO_AMOUNT: exposed(400, 'field.invalid', 'Amount must not be zero'),
  ACCOUNT_NOT_FOUND: exposed(400, 'resource.not-found', 'Account not found'),
  ACCOUNT_NOT_ENABLED: exposed(400, 'field.invalid', 'Account is not enabled'),
  CURRENCY_MISMATCH: exposed(400, 'unsupported.currency', 'Currency does not match the account'),
  SAME_ACCOUNT: exposed(400, 'field.invalid', 'Debtor and creditor accounts are the same'),
  INSUFFICIENT_FUNDS: exposed(400, 'field.invalid', 'Insufficient funds'),
});
