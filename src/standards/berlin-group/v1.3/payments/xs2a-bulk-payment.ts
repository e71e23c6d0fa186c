import { createHash } from 'node:crypto';
import { formatAmount, parsePositiveAmount } from '../../../../core/index.ts';
import type { Consent } from '../../../../modules/consents/index.ts';
import { FilePaymentErrors, type FilePayment, type PaymentFileEntry, type PaymentFileReader, type PaymentFileTerms } from '../../../../modules/payments/index.ts';
import { AppError, isAppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { paymentProductOf, paymentTermsOfXs2a, xs2aTransactionStatus, type PaymentFormat, type PaymentProduct, type Xs2aPaymentInitiation } from './xs2a-payment-initiation.ts';

/** `bulkPaymentInitiation_json`, the members this bank reads. */
export interface Xs2aBulkPaymentInitiation {
  readonly batchBookingPreferred?: boolean;
  readonly debtorAccount: { readonly iban?: string; readonly currency?: string };
  readonly requestedExecutionDate?: string;
  readonly requestedExecutionTime?: string;
  readonly payments: ReadonlyArray<Omit<Xs2aPaymentInitiation, 'debtorAccount'>>;
}

/** The file types a bulk's payments are read as: its body itself, JSON or pain.001, of one payment product. */
const FILE_TYPE_PREFIXES: Readonly<Record<PaymentFormat, string>> = { json: 'berlin-group.bulk-json:', 'pain.001': 'berlin-group.bulk-pain.001:' };

export const bulkFileTypeOf = (product: PaymentProduct, format: PaymentFormat) => `${FILE_TYPE_PREFIXES[format]}${product}`;

/** The product of a bulk file type of `format`; `FILE_INVALID` for another. */
export function productOfBulkFileType(fileType: string, format: PaymentFormat): PaymentProduct {
  if (!fileType.startsWith(FILE_TYPE_PREFIXES[format])) throw new AppError(FilePaymentErrors.FILE_INVALID);
  return paymentProductOf(fileType.slice(FILE_TYPE_PREFIXES[format].length));
}

/**
 * A bulk payment is a file of payments in the neutral model: its body is the file (kept as sent,
 * so the Digest that signed it still holds), declared with its SHA-256, its number of payments and
 * their total, debited from the one debtor account — all authorised by one SCA. `body` is the bulk
 * in the members of `bulkPaymentInitiation_json` (a pain.001 body's, as read from it).
 */
export function bulkFileTermsOf(product: PaymentProduct, format: PaymentFormat, body: Xs2aBulkPaymentInitiation, raw: Buffer, today: string): PaymentFileTerms {
  if (body.requestedExecutionDate !== undefined && body.requestedExecutionDate !== today) {
    throw new AppError(Xs2aErrors.EXECUTION_DATE_INVALID, { message: 'Bulk payments are executed at once: requestedExecutionDate may only be today', details: [{ path: 'requestedExecutionDate' }] });
  }
  if (body.requestedExecutionTime !== undefined) throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: 'requestedExecutionTime is not offered', details: [{ path: 'requestedExecutionTime' }] });
  const entries = entriesOfXs2aBulk(product, body);
  const currency = entries[0]!.terms.amount.currency;
  if (entries.some((entry) => entry.terms.amount.currency !== currency)) throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'The payments of a bulk are in one currency', details: [{ path: 'payments' }] });
  // Each amount above zero, in the currency's decimal places and within what the bank books (the file's total is declared from them).
  const total = entries.reduce((sum, entry, index) => {
    const minor = parsePositiveAmount(entry.terms.amount.decimal, currency);
    if (minor === undefined) throw new AppError(Xs2aErrors.AMOUNT_INVALID, { details: [{ path: `payments[${index}].instructedAmount.amount` }] });
    return sum + minor;
  }, 0n);
  return {
    fileType: bulkFileTypeOf(product, format),
    fileHash: createHash('sha256').update(raw).digest('base64'),
    fileReference: null,
    numberOfTransactions: entries.length,
    controlSum: formatAmount(total, currency),
    debtor: entries[0]!.terms.debtor,
  };
}

/** The payments of a bulk, each with the bulk's debtor account, as the product allows them. */
export function entriesOfXs2aBulk(product: PaymentProduct, body: Xs2aBulkPaymentInitiation): PaymentFileEntry[] {
  if (!Array.isArray(body.payments) || body.payments.length === 0) throw new AppError(FilePaymentErrors.FILE_INVALID);
  return body.payments.map((payment, index) => {
    try {
      return { terms: paymentTermsOfXs2a(product, { ...payment, debtorAccount: body.debtorAccount }) };
    } catch (error) {
      // A payment's refusal names it in the bulk (`payments[1].instructedAmount.currency`); the debtor account is the bulk's own.
      if (!isAppError(error)) throw error;
      const at = (path: string | undefined) => (path === undefined || path.startsWith('debtorAccount') ? path : `payments[${index}].${path}`);
      throw new AppError(error.definition, { message: error.message, details: error.details.map((detail) => ({ ...detail, path: at(detail.path) })), cause: error.cause });
    }
  });
}

/** The payments of a JSON bulk body. */
export const readXs2aBulk: PaymentFileReader = (content, fileType) => {
  const product = productOfBulkFileType(fileType, 'json');
  let body: Xs2aBulkPaymentInitiation;
  try {
    body = JSON.parse(content.toString('utf8')) as Xs2aBulkPaymentInitiation;
  } catch {
    throw new AppError(FilePaymentErrors.FILE_INVALID);
  }
  return entriesOfXs2aBulk(product, body);
};

/**
 * `transactionStatus` of a bulk: received until authorised, then as its payments stand — all
 * settled ACSC, all rejected RJCT, some rejected and none pending PART, otherwise in progress.
 */
export function xs2aBulkStatus(consent: Pick<Consent, 'status' | 'revokedBy'>, filePayment: Pick<FilePayment, 'payments'> | undefined): string {
  if (!filePayment) return xs2aTransactionStatus(consent, undefined);
  const statuses = filePayment.payments.map((payment) => payment.status);
  if (statuses.every((status) => status === 'rejected')) return 'RJCT';
  if (statuses.some((status) => status === 'pending')) return 'ACTC';
  if (statuses.some((status) => status === 'rejected')) return 'PART';
  return statuses.every((status) => status === 'settled') ? 'ACSC' : 'ACSP';
}
