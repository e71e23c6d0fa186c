import { randomUUID } from 'node:crypto';
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { statusReportVersionOf, type Pain001Version } from './xs2a-pain001.ts';

/** What a status report names of the pain.001 it reports on (kept from the initiation). */
export interface Pain001Reference {
  readonly version: Pain001Version;
  readonly messageId: string;
  readonly numberOfTransactions: number;
  readonly controlSum?: string | undefined;
  readonly paymentInformationId: string;
  /** Each credit transfer's EndToEndId, in document order. */
  readonly endToEndIds: readonly string[];
}

/**
 * ISO 20022 `ExternalStatusReason1Code` DS02, "order cancelled": the group status code lists of
 * pain.002.001.03 and .10 have no CANC, so a payment the TPP cancelled reads RJCT for that reason.
 */
const CANCELLED = 'DS02';

/**
 * NextGenPSD2 `paymentInitiationStatusResponse-200_xml`: the status of a pain.001 payment as a
 * customer payment status report (pain.002) of the version the initiation's schema pairs it with
 * (pain.001.001.03 → pain.002.001.03, pain.001.001.09 → pain.002.001.10): the group and payment
 * information status (the `transactionStatus`), and once the payments exist, each credit
 * transfer's status by its EndToEndId. Built as a DOM and serialised, so every value is escaped.
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
  const block = add(report, 'OrgnlPmtInfAndSts');
  add(block, 'OrgnlPmtInfId', reference.paymentInformationId);
  add(block, 'OrgnlNbOfTxs', String(reference.numberOfTransactions));
  add(block, 'PmtInfSts', status);
  reason(block);
  for (const [index, transfer] of (transfers ?? []).entries()) {
    const information = add(block, 'TxInfAndSts');
    add(information, 'OrgnlEndToEndId', reference.endToEndIds[index] ?? 'NOTPROVIDED');
    add(information, 'TxSts', transfer);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(document)}`;
}
