import { randomUUID } from 'node:crypto';
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { statusReportVersionOf, type Pain001Initiation, type Pain001Version } from './xs2a-pain001.ts';

/** What a status report names of the pain.001 it reports on (kept from the initiation). */
export interface Pain001Reference {
  readonly version: Pain001Version;
  readonly messageId: string;
  readonly numberOfTransactions: number;
  readonly controlSum?: string | undefined;
  readonly paymentInformationId: string;
  /** Each credit transfer's EndToEndId, in document order. */
  readonly endToEndIds: readonly string[];
  /**
   * A document of several payment information blocks: each block's PmtInfId and how many of the
   * transfers are its own, in order. Absent: one block, `paymentInformationId`, every transfer.
   */
  readonly blocks?: ReadonlyArray<{ readonly paymentInformationId: string; readonly numberOfTransactions: number }> | undefined;
}

/** What a status report will name of a pain.001 read at initiation. */
export function pain001ReferenceOf(document: Pain001Initiation): Pain001Reference {
  return {
    version: document.version,
    messageId: document.messageId,
    numberOfTransactions: document.numberOfTransactions,
    controlSum: document.controlSum,
    paymentInformationId: document.paymentInformationId,
    endToEndIds: document.payments.map((payment) => payment.endToEndIdentification),
    ...(document.blocks.length > 1 ? { blocks: document.blocks.map(({ paymentInformationId, numberOfTransactions }) => ({ paymentInformationId, numberOfTransactions })) } : {}),
  };
}

/**
 * A block's status from its transfers' (the bulk's rule, xs2aBulkStatus): all the same, that one;
 * some still in process, ACTC; some rejected and the rest done, PART; otherwise ACSP.
 */
function blockStatusOf(transfers: readonly string[]): string {
  if (transfers.every((status) => status === transfers[0])) return transfers[0]!;
  if (transfers.includes('ACTC')) return 'ACTC';
  if (transfers.includes('RJCT')) return 'PART';
  return 'ACSP';
}

/**
 * ISO 20022 `ExternalStatusReason1Code` DS02, "order cancelled": the group status code lists of
 * pain.002.001.03 and .10 have no CANC, so a payment the TPP cancelled reads RJCT for that reason.
 */
const CANCELLED = 'DS02';

/**
 * NextGenPSD2 `paymentInitiationStatusResponse-200_xml`: the status of a pain.001 payment as a
 * customer payment status report (pain.002) of the version the initiation's schema pairs it with
 * (pain.001.001.03 → pain.002.001.03, pain.001.001.09 → pain.002.001.10): the group status (the
 * `transactionStatus`), each payment information block's (of a document of several, from its own
 * transfers once they exist), and once the payments exist, each credit transfer's status by its
 * EndToEndId. Built as a DOM and serialised, so every value is escaped.
 */
export function pain002Of(reference: Pain001Reference, transactionStatus: string, transfers: readonly string[] | undefined, at: Date): string {
  const version = statusReportVersionOf(reference.version);
  const namespace = `urn:iso:std:iso:20022:tech:xsd:${version}`;
  const document: Document = new DOMImplementation().createDocument(namespace, 'Document', null);
  const add = (parent: Element, name: string, text?: string): Element => {
    const element = document.createElementNS(namespace, name);
    if (text !== undefined) element.appendChild(document.createTextNode(text));
    parent.appendChild(element);
    return element;
  };
  const status = transactionStatus === 'CANC' ? 'RJCT' : transactionStatus;
  const reason = (parent: Element) => {
    if (transactionStatus === 'CANC') add(add(add(parent, 'StsRsnInf'), 'Rsn'), 'Cd', CANCELLED);
  };

  const report = add(document.documentElement!, 'CstmrPmtStsRpt');
  const header = add(report, 'GrpHdr');
  add(header, 'MsgId', randomUUID().replaceAll('-', ''));
  add(header, 'CreDtTm', at.toISOString());
  const group = add(report, 'OrgnlGrpInfAndSts');
  add(group, 'OrgnlMsgId', reference.messageId);
  add(group, 'OrgnlMsgNmId', reference.version);
  add(group, 'OrgnlNbOfTxs', String(reference.numberOfTransactions));
  if (reference.controlSum !== undefined) add(group, 'OrgnlCtrlSum', reference.controlSum);
  add(group, 'GrpSts', status);
  reason(group);
  // Each payment information block with its own status and its transfers'.
  let first = 0;
  for (const { paymentInformationId, numberOfTransactions } of reference.blocks ?? [{ paymentInformationId: reference.paymentInformationId, numberOfTransactions: reference.numberOfTransactions }]) {
    const own = transfers?.slice(first, first + numberOfTransactions);
    const block = add(report, 'OrgnlPmtInfAndSts');
    add(block, 'OrgnlPmtInfId', paymentInformationId);
    add(block, 'OrgnlNbOfTxs', String(numberOfTransactions));
    add(block, 'PmtInfSts', own && own.length > 0 && reference.blocks ? blockStatusOf(own) : status);
    reason(block);
    for (const [index, transfer] of (own ?? []).entries()) {
      const information = add(block, 'TxInfAndSts');
      add(information, 'OrgnlEndToEndId', reference.endToEndIds[first + index] ?? 'NOTPROVIDED');
      add(information, 'TxSts', transfer);
    }
    first += numberOfTransactions;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(document)}`;
}
