import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Errors of file payment consents, their files and file payments (OB v4.0 paths). The file must be
 * exactly the one the consent declared: its hash, its number of payments and their total.
 */
export const FilePaymentErrors = defineErrors('FILE_PAYMENT', {
  FILE_TYPE_UNSUPPORTED: { status: 400, reason: 'field.invalid', message: 'The bank does not accept payment files of this type', expose: true },
  FILE_HASH_INVALID: { status: 400, reason: 'field.invalid', message: 'FileHash must be the base64 SHA-256 (32 bytes) of the file', expose: true },
  NUMBER_OF_TRANSACTIONS_INVALID: { status: 400, reason: 'field.invalid', message: 'A file must hold at least one payment and no more than the bank accepts in one file', expose: true },
  CONTROL_SUM_INVALID: { status: 400, reason: 'field.invalid', message: 'ControlSum must be a positive amount', expose: true },
  FILE_TOO_LARGE: { status: 413, reason: 'resource.invalid-format', message: 'The file is larger than the bank accepts', expose: true },
  FILE_HASH_MISMATCH: { status: 400, reason: 'field.invalid', message: "The file's SHA-256 is not the consent's FileHash", expose: true },
  FILE_INVALID: { status: 400, reason: 'resource.invalid-format', message: 'The file is not a payment file of the consent FileType', expose: true },
  TRANSACTIONS_MISMATCH: { status: 400, reason: 'field.invalid', message: "The file does not hold the consent's NumberOfTransactions payments", expose: true },
  CONTROL_SUM_MISMATCH: { status: 400, reason: 'field.invalid', message: "The payments of the file do not total the consent's ControlSum", expose: true },
  CURRENCIES_MIXED: { status: 400, reason: 'field.invalid', message: 'Every payment of a file must be in the same currency', expose: true },
  DEBTOR_MISMATCH: { status: 400, reason: 'field.invalid', message: 'Every payment of a file must be paid from the same DebtorAccount, the one the consent names, if any', expose: true },
  FILE_NOT_UPLOADED: { status: 400, reason: 'resource.not-found', message: 'No file has been uploaded for this consent', expose: true },
  // Another TPP's file payment answers exactly like a missing one.
  NOT_FOUND: { status: 400, reason: 'resource.not-found', message: 'File payment not found', expose: true },
});
