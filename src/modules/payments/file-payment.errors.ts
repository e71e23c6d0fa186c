import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Errors of file payment consents, their files and file payments (OB v4.0 paths). The file must be
 * exactly the one the consent declared: its hash, its number of payments and their total.
 */
export const FilePaymentErrors = defineErrors('FILE_PAYMENT', {
  FILE_TYPE_UNSUPPORTED: exposed(400, 'field.invalid', 'The bank does not accept payment files of this type'),
  FILE_HASH_INVALID: exposed(400, 'field.invalid', 'FileHash must be the base64 SHA-256 (32 bytes) of the file'),
  NUMBER_OF_TRANSACTIONS_INVALID: exposed(400, 'field.invalid', 'A file must hold at least one payment and no more than the bank accepts in one file'),
  CONTROL_SUM_INVALID: exposed(400, 'field.invalid', 'ControlSum must be a positive amount'),
  FILE_TOO_LARGE: exposed(413, 'resource.invalid-format', 'The file is larger than the bank accepts'),
  FILE_HASH_MISMATCH: exposed(400, 'field.invalid', "The file's SHA-256 is not the consent's FileHash"),
  FILE_INVALID: exposed(400, 'resource.invalid-format', 'The file is not a payment file of the consent FileType'),
  TRANSACTIONS_MISMATCH: exposed(400, 'field.invalid', "The file does not hold the consent's NumberOfTransactions payments"),
  CONTROL_SUM_MISMATCH: exposed(400, 'field.invalid', "The payments of the file do not total the consent's ControlSum"),
  CURRENCIES_MIXED: exposed(400, 'field.invalid', 'Every payment of a file must be in the same currency'),
  DEBTOR_MISMATCH: exposed(400, 'field.invalid', 'Every payment of a file must be paid from the same DebtorAccount, the one the consent names, if any'),
  FILE_NOT_UPLOADED: exposed(400, 'resource.not-found', 'No file has been uploaded for this consent'),
  // Another TPP's file payment answers exactly like a missing one.
  NOT_FOUND: exposed(400, 'resource.not-found', 'File payment not found'),
});
