import { DOMParser, type Element } from '@xmldom/xmldom';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';

/**
 * The ISO 20022 customer credit transfer initiations (pain.001) this bank reads, by namespace: the
 * version NextGenPSD2 names for the SEPA products (pain.001.001.03) and the one of the EPC's SEPA
 * Credit Transfer implementation guidelines since the 2019 rulebook (pain.001.001.09). Each is
 * answered in the pain.002 its schema family pairs it with.
 */
const VERSIONS = {
  'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03': { name: 'pain.001.001.03', statusReport: 'pain.002.001.03', bic: 'BIC', executionDateChoice: false },
  'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09': { name: 'pain.001.001.09', statusReport: 'pain.002.001.10', bic: 'BICFI', executionDateChoice: true },
} as const;
type Namespace = keyof typeof VERSIONS;
export type Pain001Version = (typeof VERSIONS)[Namespace]['name'];
export const PAIN001_VERSIONS: readonly Pain001Version[] = Object.values(VERSIONS).map((version) => version.name);
/** The pain.002 version that answers a pain.001 version. */
export const statusReportVersionOf = (version: Pain001Version) => Object.values(VERSIONS).find((known) => known.name === version)!.statusReport;

/** One credit transfer of the document, in the members of NextGenPSD2's JSON payment initiation. */
export type Pain001Payment = {
  readonly endToEndIdentification: string;
  readonly instructedAmount: { readonly currency: string; readonly amount: string };
  readonly creditorAccount: { readonly iban: string };
  readonly creditorAgent?: string;
  readonly creditorName: string;
  readonly remittanceInformationUnstructured?: string;
};

/** One payment information block (PmtInf): its debtor account, execution date and how many of the transfers are its own. */
export interface Pain001Block {
  readonly paymentInformationId: string;
  readonly batchBookingPreferred?: boolean;
  readonly debtorAccount: { readonly iban: string; readonly currency?: string };
  readonly requestedExecutionDate: string;
  /** Its credit transfers: the next this many of the document's `payments`. */
  readonly numberOfTransactions: number;
}

/**
 * What the bank reads of a pain.001: its payment information blocks and their credit transfers,
 * in document order. The first block's members are also given at the top, as the JSON body has them.
 */
export interface Pain001Initiation {
  readonly version: Pain001Version;
  /** GrpHdr/MsgId, CreDtTm, NbOfTxs and CtrlSum as sent (a pain.002 names them). */
  readonly messageId: string;
  readonly creationDateTime: string;
  readonly numberOfTransactions: number;
  readonly controlSum?: string;
  readonly paymentInformationId: string;
  readonly batchBookingPreferred?: boolean;
  readonly debtorAccount: { readonly iban: string; readonly currency?: string };
  readonly requestedExecutionDate: string;
  readonly payments: readonly Pain001Payment[];
  /** Every block (one or more), the first one's members being those above. */
  readonly blocks: readonly Pain001Block[];
}

/** A payment information block's path: `PmtInf` in a document of one, `PmtInf[n]` in one of several. */
export const pain001BlockPath = (index: number, blocks: number) => (blocks === 1 ? `${ROOT}/PmtInf` : `${ROOT}/PmtInf[${index + 1}]`);

// XML 1.0 §2.2 Char: what a document, and each value read from it (character references
// included), may hold — no NUL or other C0 control, no unpaired surrogate, no U+FFFE/U+FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
// ISO 20022 facets: Max15NumericText; ActiveOrHistoricCurrencyAndAmount (18 digits, 5 decimals,
// not negative); DecimalNumber (18 digits, 17 decimals); ISODate; ActiveOrHistoricCurrencyCode.
const NUMBER_OF_TRANSACTIONS = /^[0-9]{1,15}$/;
const AMOUNT = /^[0-9]{1,18}(\.[0-9]{1,5})?$/;
const DECIMAL = /^[0-9]{1,18}(\.[0-9]{1,17})?$/;
const TOTAL_DIGITS = 18;
const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

const ROOT = 'Document/CstmrCdtTrfInitn';

const malformed = (message: string, path?: string) => new AppError(Xs2aErrors.PAIN001_INVALID, { message, details: [{ message, ...(path ? { path } : {}) }] });
const unsupported = (message: string, path: string) => new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message, details: [{ message, path }] });
const inconsistent = (message: string, path: string) => new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message, details: [{ message, path }] });

/** The document as text: UTF-8 (the encoding ISO 20022 messages are exchanged in), XML characters only. */
function textOf(content: Buffer): string {
  let text: string;
  try {
    // A byte-order mark is dropped; invalid UTF-8 is refused rather than replaced.
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw malformed('The pain.001 document is not UTF-8');
  }
  if (NOT_XML_CHAR.test(text)) throw malformed('The pain.001 document holds a character XML does not allow');
  return text;
}

/**
 * Parsed by @xmldom/xmldom, which resolves no external entity and expands no entity a document
 * type declares; still, any document type declaration is refused (a pain.001 has none: DTDs are
 * the vehicle of XXE and of entity expansion, "billion laughs"), as is anything the parser finds
 * wrong, warnings included.
 */
function parse(text: string) {
  const problems: string[] = [];
  let document;
  try {
    document = new DOMParser({ onError: (_level, message) => problems.push(message) }).parseFromString(text, 'text/xml');
  } catch {
    // The parser's fatal errors were reported through onError before it threw.
  }
  if (document?.doctype) throw malformed('The pain.001 document declares a document type (DTD); an ISO 20022 message has none');
  if (problems.length > 0 || !document?.documentElement) {
    throw malformed(`The body is not well-formed XML: ${(problems[0] ?? 'no root element').split('\n')[0]!.slice(0, 200)}`);
  }
  // The XML declaration, when present, is the document's first node: only UTF-8 is read.
  const first = document.firstChild;
  if (first?.nodeType === first?.PROCESSING_INSTRUCTION_NODE && (first as unknown as { target: string }).target === 'xml') {
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec((first as unknown as { data: string }).data)?.[1];
    if (encoding !== undefined && encoding.toUpperCase() !== 'UTF-8') throw malformed(`The pain.001 document declares the encoding ${encoding.slice(0, 40)}; UTF-8 is required`);
  }
  return document.documentElement;
}

/** Reads elements of one namespace, naming each by its path in refusals. */
class Reader {
  constructor(readonly namespace: string) {}

  all(parent: Element, name: string): Element[] {
    const found: Element[] = [];
    for (let node = parent.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === node.ELEMENT_NODE && (node as Element).localName === name && (node as Element).namespaceURI === this.namespace) found.push(node as Element);
    }
    return found;
  }

  /** At most one: a repeated element would leave two meanings, one read and one not. */
  optional(parent: Element, name: string, path: string): Element | undefined {
    const found = this.all(parent, name);
    if (found.length > 1) throw malformed(`${path}/${name} may appear once`, `${path}/${name}`);
    return found[0];
  }

  one(parent: Element, name: string, path: string): Element {
    const found = this.optional(parent, name, path);
    if (!found) throw malformed(`${path}/${name} is missing`, `${path}/${name}`);
    return found;
  }

  /** A leaf's text, trimmed; a leaf holding elements is not a value. */
  text(element: Element, path: string): string {
    for (let node = element.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === node.ELEMENT_NODE) throw malformed(`${path} holds elements where a value is expected`, path);
    }
    const value = (element.textContent ?? '').trim();
    if (NOT_XML_CHAR.test(value)) throw malformed(`${path} holds a character XML does not allow`, path);
    if (value === '') throw malformed(`${path} is empty`, path);
    return value;
  }

  value(parent: Element, name: string, path: string): string {
    return this.text(this.one(parent, name, path), `${path}/${name}`);
  }

  optionalValue(parent: Element, name: string, path: string): string | undefined {
    const element = this.optional(parent, name, path);
    return element ? this.text(element, `${path}/${name}`) : undefined;
  }

  /** An account by IBAN: the only identification this bank addresses accounts by. */
  iban(parent: Element, name: string, path: string): string {
    const account = this.one(parent, name, path);
    const id = this.one(account, 'Id', `${path}/${name}`);
    if (!this.optional(id, 'IBAN', `${path}/${name}/Id`)) throw unsupported('Accounts are addressed by IBAN at this bank', `${path}/${name}/Id`);
    return this.value(id, 'IBAN', `${path}/${name}/Id`);
  }
}

/** A decimal as an integer of 17 decimal places, for exact sums and comparisons. */
function scaled(decimal: string): bigint {
  const [units, fraction = ''] = decimal.split('.');
  return BigInt(`${units}${fraction.padEnd(17, '0')}`);
}

function checkDecimal(value: string, pattern: RegExp, path: string): string {
  if (!pattern.test(value) || value.replace('.', '').length > TOTAL_DIGITS) throw malformed(`${path} is not a valid amount`, path);
  return value;
}

/** NbOfTxs and CtrlSum, where given, must be those of the transfers the document holds. */
function checkTotals(reader: Reader, block: Element, path: string, count: number, total: bigint): { numberOfTransactions?: number; controlSum?: string } {
  const declaredCount = reader.optionalValue(block, 'NbOfTxs', path);
  if (declaredCount !== undefined) {
    if (!NUMBER_OF_TRANSACTIONS.test(declaredCount)) throw malformed(`${path}/NbOfTxs is not a number of transactions`, `${path}/NbOfTxs`);
    if (Number(declaredCount) !== count) throw inconsistent(`${path}/NbOfTxs is ${declaredCount}, but the document holds ${count} credit transfers`, `${path}/NbOfTxs`);
  }
  const controlSum = reader.optionalValue(block, 'CtrlSum', path);
  if (controlSum !== undefined && scaled(checkDecimal(controlSum, DECIMAL, `${path}/CtrlSum`)) !== total) {
    throw inconsistent(`${path}/CtrlSum is not the total of the credit transfers' InstdAmt`, `${path}/CtrlSum`);
  }
  return { ...(declaredCount !== undefined ? { numberOfTransactions: Number(declaredCount) } : {}), ...(controlSum !== undefined ? { controlSum } : {}) };
}

function readTransfer(reader: Reader, bic: 'BIC' | 'BICFI', transfer: Element, path: string): Pain001Payment {
  const endToEndIdentification = reader.value(reader.one(transfer, 'PmtId', path), 'EndToEndId', `${path}/PmtId`);
  const amount = reader.one(transfer, 'Amt', path);
  if (reader.optional(amount, 'EqvtAmt', `${path}/Amt`)) throw unsupported('An amount in another currency than the one transferred (EqvtAmt) is not offered', `${path}/Amt/EqvtAmt`);
  const instructed = reader.one(amount, 'InstdAmt', `${path}/Amt`);
  const amountPath = `${path}/Amt/InstdAmt`;
  const value = checkDecimal(reader.text(instructed, amountPath), AMOUNT, amountPath);
  const currency = instructed.getAttribute('Ccy') ?? '';
  if (!CURRENCY.test(currency)) throw malformed(`${amountPath}/@Ccy is not an ISO 4217 currency code`, `${amountPath}/@Ccy`);
  const agent = reader.optional(transfer, 'CdtrAgt', path);
  const creditorAgent = agent ? reader.optionalValue(reader.one(agent, 'FinInstnId', `${path}/CdtrAgt`), bic, `${path}/CdtrAgt/FinInstnId`) : undefined;
  const creditorName = reader.value(reader.one(transfer, 'Cdtr', path), 'Nm', `${path}/Cdtr`);
  const iban = reader.iban(transfer, 'CdtrAcct', path);
  const remittance = reader.optional(transfer, 'RmtInf', path);
  let unstructured: string | undefined;
  if (remittance) {
    if (reader.all(remittance, 'Strd').length > 0) throw unsupported('Structured remittance information (Strd) is not offered', `${path}/RmtInf/Strd`);
    const lines = reader.all(remittance, 'Ustrd');
    if (lines.length > 1) throw unsupported('One unstructured remittance line (Ustrd) is read', `${path}/RmtInf/Ustrd`);
    unstructured = lines[0] ? reader.text(lines[0], `${path}/RmtInf/Ustrd`) : undefined;
  }
  return {
    endToEndIdentification,
    instructedAmount: { currency, amount: value },
    creditorAccount: { iban },
    ...(creditorAgent !== undefined ? { creditorAgent } : {}),
    creditorName,
    ...(unstructured !== undefined ? { remittanceInformationUnstructured: unstructured } : {}),
  };
}

function executionDateOf(reader: Reader, choice: boolean, block: Element, path: string): string {
  const element = reader.one(block, 'ReqdExctnDt', path);
  let date: string;
  if (!choice) date = reader.text(element, `${path}/ReqdExctnDt`);
  else {
    if (reader.optional(element, 'DtTm', `${path}/ReqdExctnDt`)) throw unsupported('An execution time (ReqdExctnDt/DtTm) is not offered; give the date (ReqdExctnDt/Dt)', `${path}/ReqdExctnDt/DtTm`);
    date = reader.value(element, 'Dt', `${path}/ReqdExctnDt`);
  }
  if (!ISO_DATE.test(date)) throw malformed(`${path}/ReqdExctnDt is not an ISO date`, `${path}/ReqdExctnDt`);
  return date;
}

/**
 * Reads a customer credit transfer initiation (NextGenPSD2 payment products `pain.001-…`): one or
 * more payment information blocks (each a debtor account by IBAN, an execution date, payment method
 * TRF; which of them a service accepts is `pain001Initiation`'s rule) with their credit transfers,
 * each an instructed amount, the creditor's name and IBAN, optionally its agent's BIC and one
 * unstructured remittance line. GrpHdr and each PmtInf's NbOfTxs and CtrlSum, where given, must
 * count and total its transfers exactly. Elements the bank does not read
 * (PmtTpInf, ChrgBr, UltmtCdtr, Purp, …) are kept in the document as sent and not acted on.
 */
export function readPain001(content: Buffer): Pain001Initiation {
  const root = parse(textOf(content));
  const version = root.localName === 'Document' && root.namespaceURI ? VERSIONS[root.namespaceURI as Namespace] : undefined;
  if (!version) {
    throw malformed(`The body is not an ISO 20022 pain.001 Document this bank reads (namespace ${Object.keys(VERSIONS).join(' or ')})`);
  }
  const reader = new Reader(root.namespaceURI!);
  const initiation = reader.one(root, 'CstmrCdtTrfInitn', 'Document');
  const header = reader.one(initiation, 'GrpHdr', ROOT);
  const messageId = reader.value(header, 'MsgId', `${ROOT}/GrpHdr`);
  const creationDateTime = reader.value(header, 'CreDtTm', `${ROOT}/GrpHdr`);
  reader.one(header, 'NbOfTxs', `${ROOT}/GrpHdr`);

  const elements = reader.all(initiation, 'PmtInf');
  if (elements.length === 0) throw malformed(`${ROOT}/PmtInf is missing`, `${ROOT}/PmtInf`);
  const paths = elements.map((_block, index) => pain001BlockPath(index, elements.length));
  const read = elements.map((block, index) => readBlock(reader, version, block, paths[index]!));
  const payments = read.flatMap((block) => block.payments);
  const total = read.reduce((sum, block) => sum + block.total, 0n);
  // The group header's totals first, then each block's against its own transfers.
  const declared = checkTotals(reader, header, `${ROOT}/GrpHdr`, payments.length, total);
  for (const [index, block] of read.entries()) checkTotals(reader, elements[index]!, paths[index]!, block.payments.length, block.total);
  const blocks = read.map(({ payments: _payments, total: _total, ...block }) => block);
  const first = blocks[0]!;

  return {
    version: version.name,
    messageId,
    creationDateTime,
    numberOfTransactions: declared.numberOfTransactions ?? payments.length,
    ...(declared.controlSum !== undefined ? { controlSum: declared.controlSum } : {}),
    paymentInformationId: first.paymentInformationId,
    ...(first.batchBookingPreferred !== undefined ? { batchBookingPreferred: first.batchBookingPreferred } : {}),
    debtorAccount: first.debtorAccount,
    requestedExecutionDate: first.requestedExecutionDate,
    payments,
    blocks,
  };
}

/** One payment information block at `path`: its members, its transfers, and their total (for its NbOfTxs and CtrlSum). */
function readBlock(reader: Reader, version: (typeof VERSIONS)[Namespace], block: Element, path: string): Pain001Block & { payments: Pain001Payment[]; total: bigint } {
  const paymentInformationId = reader.value(block, 'PmtInfId', path);
  const method = reader.value(block, 'PmtMtd', path);
  if (method !== 'TRF') throw unsupported(`Payment method ${method.slice(0, 10)} is not offered: credit transfers (TRF) only`, `${path}/PmtMtd`);
  const batchBooking = reader.optionalValue(block, 'BtchBookg', path);
  if (batchBooking !== undefined && batchBooking !== 'true' && batchBooking !== 'false') throw malformed(`${path}/BtchBookg is not a boolean`, `${path}/BtchBookg`);
  const requestedExecutionDate = executionDateOf(reader, version.executionDateChoice, block, path);
  const debtorIban = reader.iban(block, 'DbtrAcct', path);
  const debtorCurrency = reader.optionalValue(reader.one(block, 'DbtrAcct', path), 'Ccy', `${path}/DbtrAcct`);

  const transfers = reader.all(block, 'CdtTrfTxInf');
  if (transfers.length === 0) throw malformed(`${path}/CdtTrfTxInf is missing`, `${path}/CdtTrfTxInf`);
  const payments = transfers.map((transfer, index) => readTransfer(reader, version.bic, transfer, `${path}/CdtTrfTxInf[${index + 1}]`));
  const total = payments.reduce((sum, payment) => sum + scaled(payment.instructedAmount.amount), 0n);
  return {
    paymentInformationId,
    ...(batchBooking !== undefined ? { batchBookingPreferred: batchBooking === 'true' } : {}),
    debtorAccount: { iban: debtorIban, ...(debtorCurrency !== undefined ? { currency: debtorCurrency } : {}) },
    requestedExecutionDate,
    numberOfTransactions: payments.length,
    payments,
    total,
  };
}
