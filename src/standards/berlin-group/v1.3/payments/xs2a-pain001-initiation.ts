import type { PaymentFileReader } from '../../../../modules/payments/index.ts';
import { AppError, isAppError, type ErrorDetail } from '../../../../platform/errors/index.ts';
import { xs2aMemberOf } from '../xs2a-error-body.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { xs2aSchemaViolation } from '../xs2a-request-validation.ts';
import { entriesOfXs2aBulk, productOfBulkFileType, type Xs2aBulkPaymentInitiation } from './xs2a-bulk-payment.ts';
import type { Xs2aPaymentInitiation } from './xs2a-payment-initiation.ts';
import { pain001BlockPath, readPain001, type Pain001Initiation } from './xs2a-pain001.ts';

/** The services that take a pain.001 body as such (a periodic payment's comes in a multipart body: xs2a-periodic-multipart.ts). */
export type Pain001Service = 'payments' | 'bulk-payments';

/**
 * How a document's credit transfers are laid out in its blocks: how many each block holds, in
 * order (one block unless the document has several).
 */
export type Pain001Layout = readonly number[];
const ONE_BLOCK: Pain001Layout = [Number.MAX_SAFE_INTEGER];

/** The block and the place in it of the document's transfer `index`. */
function transferAt(layout: Pain001Layout, index: number): { block: number; transfer: number } {
  let rest = index;
  for (const [block, count] of layout.entries()) {
    if (rest < count) return { block, transfer: rest };
    rest -= count;
  }
  return { block: layout.length - 1, transfer: rest };
}
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
 * those of its one credit transfer; `item` names a bulk's payment where the path does not. In a
 * document of several blocks a payment is named in its own block, and the bulk's own members in the
 * first block (the one they were read from).
 */
export function pain001PathOf(service: Pain001Service, jsonPath: string, item?: number, layout: Pain001Layout = ONE_BLOCK): string {
  const segments = jsonPath.split(/[.[\]/]+/).filter(Boolean);
  let index = item;
  if (service === 'bulk-payments' && segments[0] === 'payments' && /^\d+$/.test(segments[1] ?? '')) {
    index = Number(segments[1]);
    segments.splice(0, 2);
  }
  const member = segments.join('.');
  const transfer = TRANSFER_ELEMENTS[member];
  const blockPath = (block: number) => pain001BlockPath(block, layout.length);
  if (transfer && (service === 'payments' || index !== undefined)) {
    const at = transferAt(layout, index ?? 0);
    return `${blockPath(at.block)}/CdtTrfTxInf[${at.transfer + 1}]/${transfer}`;
  }
  if (transfer) return `${blockPath(0)}/CdtTrfTxInf/${transfer}`;
  const block = BLOCK_ELEMENTS[member] ?? BLOCK_ELEMENTS[segments[0] ?? ''];
  return block ? `${blockPath(0)}/${block}` : blockPath(0);
}

/** An error of the JSON rules about a pain.001 body, its paths and fields named as the document's elements. */
export function inPain001Terms(service: Pain001Service, error: unknown, layout?: Pain001Layout): unknown {
  if (!isAppError(error) || error.details.length === 0) return error;
  const details = error.details.map((detail): ErrorDetail => {
    const member = detail.path ?? (detail.field ? xs2aMemberOf(detail.field) : undefined);
    if (member === undefined) return detail;
    const { field: _field, ...rest } = detail;
    return { ...rest, path: pain001PathOf(service, member, detail.item, layout) };
  });
  return new AppError(error.definition, { message: error.message, details, cause: error.cause });
}

/** The layout of a document's transfers in its blocks. */
export const layoutOf = (document: Pick<Pain001Initiation, 'blocks'>): Pain001Layout => document.blocks.map((block) => block.numberOfTransactions);

/**
 * A bulk of several payment information blocks is one bulk payment: one SCA, one debit account,
 * executed at once. So every block names the first one's debtor account (IBAN and currency:
 * `PARAMETER_NOT_SUPPORTED` otherwise, as a bulk from several accounts is not offered) and today as
 * its execution date (`EXECUTION_DATE_INVALID` otherwise, as for the one block of a bulk). Each
 * block's BtchBookg is accepted and, as the JSON member, not acted on.
 */
function checkBlocksOfOneBulk(document: Pain001Initiation, today: string): void {
  const { blocks } = document;
  const first = blocks[0]!;
  for (const [index, block] of blocks.entries()) {
    const path = pain001BlockPath(index, blocks.length);
    if (block.debtorAccount.iban !== first.debtorAccount.iban || block.debtorAccount.currency !== first.debtorAccount.currency) {
      const element = block.debtorAccount.iban !== first.debtorAccount.iban ? 'DbtrAcct/Id/IBAN' : 'DbtrAcct/Ccy';
      throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, {
        message: `A bulk payment is debited from one account: every payment information block (PmtInf) must name the first one's debtor account, block ${index + 1} names another`,
        details: [{ path: `${path}/${element}` }],
      });
    }
    if (block.requestedExecutionDate !== today) {
      throw new AppError(Xs2aErrors.EXECUTION_DATE_INVALID, {
        message: `Bulk payments are executed at once: every payment information block's ReqdExctnDt must be today (${today}), block ${index + 1}'s is ${block.requestedExecutionDate}`,
        details: [{ path: `${path}/ReqdExctnDt` }],
      });
    }
  }
}

/** The JSON body a pain.001 stands for: `paymentInitiation_json` (one transfer) or `bulkPaymentInitiation_json`. */
function jsonBodyOf(service: Pain001Service, document: Pain001Initiation, today: string): Xs2aPaymentInitiation | Xs2aBulkPaymentInitiation {
  const { debtorAccount, requestedExecutionDate, payments, blocks } = document;
  if (service === 'bulk-payments') {
    if (blocks.length > 1) checkBlocksOfOneBulk(document, today);
    return { ...(document.batchBookingPreferred !== undefined ? { batchBookingPreferred: document.batchBookingPreferred } : {}), debtorAccount, requestedExecutionDate, payments };
  }
  if (blocks.length > 1) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, {
      message: `A single payment is one payment information block (PmtInf) with one credit transfer, this document has ${blocks.length} blocks: initiate them as a bulk payment`,
      details: [{ path: pain001BlockPath(1, blocks.length) }],
    });
  }
  if (payments.length !== 1) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, {
      message: `A single payment carries one credit transfer (CdtTrfTxInf), this document ${payments.length}: initiate several as a bulk payment`,
      details: [{ path: `${pain001BlockPath(0, 1)}/CdtTrfTxInf` }],
    });
  }
  return { ...payments[0]!, debtorAccount, requestedExecutionDate };
}

/**
 * A pain.001 body as the JSON body of its service, held to the same official schema (lengths,
 * IBAN, BIC and amount patterns), refusals naming the document's elements: from here on it is
 * initiated exactly as the JSON body would be, by the same mapping to the neutral payment. A bulk
 * may hold several blocks of one debtor account, each executed today (`checkBlocksOfOneBulk`).
 */
export function pain001Initiation(service: Pain001Service, document: Pain001Initiation, today: string): Xs2aPaymentInitiation | Xs2aBulkPaymentInitiation {
  const body = jsonBodyOf(service, document, today);
  const violation = xs2aSchemaViolation(service === 'payments' ? 'paymentInitiation_json' : 'bulkPaymentInitiation_json', body);
  if (violation) {
    const path = pain001PathOf(service, violation.path.join('.'), undefined, layoutOf(document));
    throw new AppError(Xs2aErrors.PAIN001_INVALID, { message: `${path} ${violation.message}`, details: [{ path, message: `${path} ${violation.message}` }] });
  }
  return body;
}

/**
 * The payments of a bulk payment's pain.001 body, read as at its initiation (its blocks' dates
 * checked then: the file is read again only when it is executed, on a later day perhaps).
 */
export const readXs2aPain001Bulk: PaymentFileReader = (content, fileType) => {
  const product = productOfBulkFileType(fileType, 'pain.001');
  const document = readPain001(content);
  return entriesOfXs2aBulk(product, pain001Initiation('bulk-payments', document, document.requestedExecutionDate) as Xs2aBulkPaymentInitiation);
};
