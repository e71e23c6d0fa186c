import { defineErrors } from '../../../platform/errors/index.ts';

export const LedgerErrors = defineErrors('LEDGER', {
  UNBALANCED: { status: 500, reason: 'unexpected', message: 'Journal entry does not balance', expose: false },
  TOO_FEW_POSTINGS: { status: 500, reason: 'unexpected', message: 'A journal entry needs at least two postings', expose: false },
  ZERO_AMOUNT: { status: 400, reason: 'field.invalid', message: 'Amount must not be zero', expose: true },
  ACCOUNT_NOT_FOUND: { status: 400, reason: 'resource.not-found', message: 'Account not found', expose: true },
  ACCOUNT_NOT_ENABLED: { status: 400, reason: 'field.invalid', message: 'Account is not enabled', expose: true },
  CURRENCY_MISMATCH: { status: 400, reason: 'unsupported.currency', message: 'Currency does not match the account', expose: true },
  SAME_ACCOUNT: { status: 400, reason: 'field.invalid', message: 'Debtor and creditor accounts are the same', expose: true },
  INSUFFICIENT_FUNDS: { status: 400, reason: 'field.invalid', message: 'Insufficient funds', expose: true },
});
