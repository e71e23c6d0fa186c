import type { PaymentFileReader } from '../../../../modules/payments/index.ts';
import { AppError, isAppError, type ErrorDetail } from '../../../../platform/errors/index.ts';
import { xs2aMemberOf } from '../xs2a-error-body.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { xs2aSchemaViolation } from '../xs2a-request-validation.ts';
import { entriesOfXs2aBulk, productOfBulkFileType, type Xs2aBulkPaymentInitiation } from './xs2a-bulk-payment.ts';
import type { Xs2aPaymentInitiation } from './xs2a-payment-initiation.ts';
import { readPain001, type Pain001Initiation } from './xs2a-pain001.ts';

/** The services that take a pain.001 body: a periodic payment's would be multipart (not offered). */
export type Pain001Service = 'payments' | 'bulk-payments';

const BLOCK = 'Document/CstmrCdtTrfInitn/PmtInf';
/** Where each JSON member of a payment initiation was read from in its credit transfer. */
const TRANSFER_ELEMENTS: Readonly<Record<string, string>> = {
  endToEndIdentification: 'PmtId/EndToEndId',
  instructedAmount: 'Amt/InstdAmt',
  'instructedAmount.amount': 'Amt/InstdAmt',
  'instructedAmount.currency': 'Amt/InstdAmt/@Ccy',
  creditorAccount: 'CdtrAcct/Id/IBAN',
  'creditorAccount.iban': 'CdtrAcct/Id/IBAN',
  creditorAgent: 'CdtrAgt/FinInstnId',
  creditorName: 'Cdtr/Nm',
  remittanceInformationUnstructured: 'RmtInf/Ustrd',
};
/** … and in its payment information block. */
const BLOCK_ELEMENTS: Readonly<Record<string, string>> = {
  debtorAccount: 'DbtrAcct/Id/IBAN',
  'debtorAccount.iban': 'DbtrAcct/Id/IBAN',
  'debtorAccount.currency': 'DbtrAcct/Ccy',
  requestedExecutionDate: 'ReqdExctnDt',
  batchBookingPreferred: 'BtchBookg',
  payments: 'CdtTrfTxInf',
};

/**
 * The element of a pain.001 a JSON member path (`payments[1].creditorName`, `instructedAmount.currency`)
 * stands for: a refusal of the JSON rules names what the TPP sent. A single payment's members are
 * those of its one credit transfer; `item` names a bulk's payment where the path does not.
 */
export function pain001PathOf(service: Pain001Service, jsonPath: string, item?: number): string {
  const segments = jsonPath.split(/[.[\]/]+/).filter(Boolean);
  let index = item;
  if (service === 'bulk-payments' && segments[0] === 'payments' && /^\d+$/.test(segments[1] ?? '')) {
    index = Number(segments[1]);
    segments.splice(0, 2);
  }
  const member = segments.join('.');
  const transfer = TRANSFER_ELEMENTS[member];
  if (transfer && (service === 'payments' || index !== undefined)) return `${BLOCK}/CdtTrfTxInf[${(index ?? 0) + 1}]/${transfer}`;
  if (transfer) return `${BLOCK}/CdtTrfTxInf/${transfer}`;
  const block = BLOCK_ELEMENTS[member] ?? BLOCK_ELEMENTS[segments[0] ?? ''];
  return block ? `${BLOCK}/${block}` : BLOCK;
}

/** An error of the JSON rules about a pain.001 body, its paths and fields named as the document's elements. */
export function inPain001Terms(service: Pain001Service, error: unknown): unknown {
  if (!isAppError(error) || error.details.length === 0) return error;
  const details = error.details.map((detail): ErrorDetail => {
    const member = detail.path ?? (detail.field ? xs2aMemberOf(detail.field) : undefined);
    if (member === undefined) return detail;
    const { field: _field, ...rest } = detail;
    return { ...rest, path: pain001PathOf(service, member, detail.item) };
  });
  return new AppError(error.definition, { message: error.message, details, cause: error.cause });
}

/** The JSON body a pain.001 stands for: `paymentInitiation_json` (one transfer) or `bulkPaymentInitiation_json`. */
function jsonBodyOf(service: Pain001Service, document: Pain001Initiation): Xs2aPaymentInitiation | Xs2aBulkPaymentInitiation {
  const { debtorAccount, requestedExecutionDate, payments } = document;
  if (service === 'bulk-payments') {
    return { ...(document.batchBookingPreferred !== undefined ? { batchBookingPreferred: document.batchBookingPreferred } : {}), debtorAccount, requestedExecutionDate, payments };
  }
  if (payments.length !== 1) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, {
      message: `A single payment carries one credit transfer (CdtTrfTxInf), this document ${payments.length}: initiate several as a bulk payment`,
      details: [{ path: `${BLOCK}/CdtTrfTxInf` }],
    });
  }
  return { ...payments[0]!, debtorAccount, requestedExecutionDate };
}

/**
 * A pain.001 body as the JSON body of its service, held to the same official schema (lengths,
 * IBAN, BIC and amount patterns), refusals naming the document's elements: from here on it is
 * initiated exactly as the JSON body would be, by the same mapping to the neutral payment.
 */
export function pain001Initiation(service: Pain001Service, document: Pain001Initiation): Xs2aPaymentInitiation | Xs2aBulkPaymentInitiation {
  const body = jsonBodyOf(service, document);
  const violation = xs2aSchemaViolation(service === 'payments' ? 'paymentInitiation_json' : 'bulkPaymentInitiation_json', body);
  if (violation) {
    const path = pain001PathOf(service, violation.path.join('.'));
    throw new AppError(Xs2aErrors.PAIN001_INVALID, { message: `${path} ${violation.message}`, details: [{ path, message: `${path} ${violation.message}` }] });
  }
  return body;
}

/** The payments of a bulk payment's pain.001 body, read as at its initiation. */
export const readXs2aPain001Bulk: PaymentFileReader = (content, fileType) => {
  const product = productOfBulkFileType(fileType, 'pain.001');
  return entriesOfXs2aBulk(product, pain001Initiation('bulk-payments', readPain001(content)) as Xs2aBulkPaymentInitiation);
};
