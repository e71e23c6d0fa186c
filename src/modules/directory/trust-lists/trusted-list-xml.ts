import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { x509 } from '../../../platform/tls/index.ts';
import type { QualifiedUse, ServiceStatusPeriod, TrustedList, TrustedListPointer, TrustedService } from './trusted-list-model.ts';

/**
 * ETSI TS 119 612 trusted lists as XML: the enveloped XMLDSig signature checked with xml-crypto
 * against the certificates allowed to sign the list, and the content read only from what the
 * signature covers (xml-crypto's `getSignedReferences`), never from the document as received, so
 * that a wrapped or appended element cannot be read as signed.
 */

const TSL = 'http://uri.etsi.org/02231/v2#';
const XMLDSIG = 'http://www.w3.org/2000/09/xmldsig#';
const USE_OF_INFO: Readonly<Record<string, QualifiedUse>> = {
  'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForWebSiteAuthentication': 'QWAC',
  'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals': 'QSealC',
  'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures': 'QESig',
};
/** The largest list read: the EU LOTL and national lists are well under a few megabytes. */
const MAX_XML_CHARACTERS = 32 * 1024 * 1024;

/** A list that cannot be relied on; the message names the failed check. */
export class TrustedListRejected extends Error {}

/**
 * The signed content of a trusted list: parsed, its one enveloped signature verified with one of
 * `signerPems` (the key in its KeyInfo is not trusted by itself), the signed reference the whole
 * document. Returns the authenticated document and the signer that verified it.
 */
export function verifyTrustedList(xml: string, signerPems: readonly string[]): { document: Document; signerPem: string } {
  if (xml.length > MAX_XML_CHARACTERS) throw new TrustedListRejected(`the list is larger than ${MAX_XML_CHARACTERS} characters`);
  const received = parse(xml);
  const root = received.documentElement;
  if (!root || root.namespaceURI !== TSL || root.localName !== 'TrustServiceStatusList') throw new TrustedListRejected('not an ETSI TS 119 612 TrustServiceStatusList');
  const signatures = childElements(root, XMLDSIG, 'Signature');
  if (signatures.length !== 1) throw new TrustedListRejected(`the list carries ${signatures.length} signatures at its root; one enveloped signature is required`);
  for (const signerPem of signerPems) {
    const signed = new SignedXml({ publicCert: signerPem, getCertFromKeyInfo: () => null });
    signed.loadSignature(signatures[0]!);
    let valid: boolean;
    try {
      valid = signed.checkSignature(xml);
    } catch {
      valid = false;
    }
    if (!valid) continue;
    // XAdES signatures (as the EU's lists carry) also reference their SignedProperties: the list is
    // the one reference whose content is a TrustServiceStatusList.
    const lists = signed
      .getSignedReferences()
      .map(parse)
      .filter((document) => document.documentElement?.namespaceURI === TSL && document.documentElement.localName === 'TrustServiceStatusList');
    if (lists.length !== 1) throw new TrustedListRejected('the signature must cover the whole TrustServiceStatusList in one reference');
    return { document: lists[0]!, signerPem };
  }
  throw new TrustedListRejected('the list signature does not verify with any certificate allowed to sign it');
}

/** The List of Trusted Lists' pointers to the national lists in XML (TS 119 612 §5.3.13). */
export function readListOfTrustedLists(document: Document): TrustedListPointer[] {
  const scheme = required(document.documentElement!, 'SchemeInformation');
  const pointers = descendants(scheme, 'OtherTSLPointer');
  return pointers.flatMap((pointer) => {
    const location = text(required(pointer, 'TSLLocation'));
    const information = descendants(pointer, 'AdditionalInformation')[0];
    const territory = information ? descendants(information, 'SchemeTerritory').map(text)[0] : undefined;
    // MimeType is of the "additionaltypes" namespace (TS 119 612 Annex C).
    const mimeType = information ? descendants(information, 'MimeType', '*').map(text)[0] : undefined;
    const type = information ? descendants(information, 'TSLType').map(text)[0] : undefined;
    // The LOTL also points at PDF copies of each list: only the XML one is machine-processable.
    if (!territory || (mimeType && !mimeType.includes('xml'))) return [];
    // And at itself, to announce who signs it: that is configuration (the Official Journal), not a list to import.
    if (type?.endsWith('/EUlistofthelists')) return [];
    const signerPems = descendants(pointer, 'X509Certificate').map((element) => pemOf(text(element)));
    return [{ territory, location, signerPems }];
  });
}

/** A national trusted list's services (TS 119 612 §5.5), from its authenticated document. */
export function readTrustedList(document: Document, source: string, signerPem: string): TrustedList {
  const root = document.documentElement!;
  const scheme = required(root, 'SchemeInformation');
  const territory = text(required(scheme, 'SchemeTerritory'));
  const sequenceNumber = Number(text(required(scheme, 'TSLSequenceNumber')));
  const issuedAt = date(text(required(scheme, 'ListIssueDateTime')));
  const nextUpdateElement = descendants(scheme, 'NextUpdate')[0];
  const nextUpdateText = nextUpdateElement ? descendants(nextUpdateElement, 'dateTime').map(text)[0] : undefined;
  const services: TrustedService[] = [];
  for (const provider of descendants(root, 'TrustServiceProvider')) {
    const providerName = firstName(required(provider, 'TSPInformation'), 'TSPName');
    for (const service of descendants(provider, 'TSPService')) {
      const information = required(service, 'ServiceInformation');
      const certificates = descendants(required(information, 'ServiceDigitalIdentity'), 'X509Certificate').map((element) => pemOf(text(element)));
      if (certificates.length === 0) continue;
      const uses = descendants(information, 'AdditionalServiceInformation')
        .flatMap((item) => descendants(item, 'URI').map(text))
        .map((uri) => USE_OF_INFO[uri])
        .filter((use): use is QualifiedUse => use !== undefined);
      const history = descendants(service, 'ServiceHistoryInstance').map(statusPeriod);
      const current = statusPeriod(information);
      for (const certificatePem of certificates) {
        services.push({
          territory,
          providerName,
          serviceName: firstName(information, 'ServiceName'),
          serviceType: text(required(information, 'ServiceTypeIdentifier')),
          certificatePem,
          uses: [...new Set(uses)],
          statuses: [...history, current].sort((a, b) => a.from.getTime() - b.from.getTime()),
        });
      }
    }
  }
  if (!Number.isInteger(sequenceNumber)) throw new TrustedListRejected(`${territory}: TSLSequenceNumber is not a number`);
  return { territory, sequenceNumber, issuedAt, nextUpdate: nextUpdateText ? date(nextUpdateText) : undefined, source, signerPem, services };
}

function statusPeriod(element: Element): ServiceStatusPeriod {
  const uri = text(required(element, 'ServiceStatus'));
  return { status: uri.slice(uri.lastIndexOf('/') + 1).toLowerCase(), from: date(text(required(element, 'StatusStartingTime'))) };
}

function parse(xml: string): Document {
  const errors: string[] = [];
  let document: Document;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') errors.push(message);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    throw new TrustedListRejected(`the list is not well-formed XML: ${(error as Error).message}`, { cause: error });
  }
  if (errors.length > 0 || !document.documentElement) throw new TrustedListRejected(`the list is not well-formed XML: ${errors[0] ?? 'no root element'}`);
  // A document type declaration can define entities: a trusted list has none.
  if (document.doctype) throw new TrustedListRejected('the list declares a document type; trusted lists have none');
  return document;
}

function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (node as Element).namespaceURI === namespace && (node as Element).localName === localName) found.push(node as Element);
  }
  return found;
}

function descendants(parent: Element, localName: string, namespace = TSL): Element[] {
  return Array.from(parent.getElementsByTagNameNS(namespace, localName));
}

function required(parent: Element, localName: string): Element {
  const found = descendants(parent, localName)[0];
  if (!found) throw new TrustedListRejected(`the list has no ${localName} under ${parent.localName}`);
  return found;
}

function text(element: Element): string {
  return (element.textContent ?? '').trim();
}

/** The English name when there is one (names are multilingual), else the first. */
function firstName(parent: Element, localName: string): string {
  const names = descendants(required(parent, localName), 'Name');
  const english = names.find((name) => name.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') === 'en');
  return text(english ?? names[0] ?? required(parent, localName));
}

function date(value: string): Date {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new TrustedListRejected(`not a date-time: ${value}`);
  return parsed;
}

function pemOf(base64: string): string {
  try {
    return new x509.X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64')).toString('pem');
  } catch {
    throw new TrustedListRejected('a certificate of the list cannot be parsed');
  }
}
