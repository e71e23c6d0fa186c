import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { DirectoryRepository } from '../directory.repository.port.ts';
import type { SandboxQtsp } from '../sandbox-qtsp.ts';
import { ID_PKIX_OCSP_NONCE, nonceValue, toPkijs } from './ocsp.ts';

/** How long an answer of the sandbox responder may be relied on (RFC 6960 §4.2.2.1 nextUpdate). */
export const SANDBOX_OCSP_VALIDITY_MS = 60_000;
/** RFC 8954 §2.1: nonces longer than 32 octets are refused. */
const MAX_NONCE_OCTETS = 32;

/** RFC 6960 §4.2.1 OCSPResponseStatus values this responder answers with. */
const MALFORMED_REQUEST = 1;
const UNAUTHORIZED = 6;

/**
 * The sandbox QTSP's OCSP responder (RFC 6960): answers for the certificates its issuing CA
 * signed, from the directory's records read fresh, so a revocation is answered at once. The CA
 * signs the responses itself (RFC 6960 §4.2.2.2, the first case), ECDSA with SHA-256. Serials it
 * never issued are `unknown`; requests about another CA's certificates are `unauthorized`; a nonce
 * in the request is echoed.
 */
export async function answerOcspRequest(records: DirectoryRepository, qtsp: SandboxQtsp, requestDer: Uint8Array, at: Date = new Date()): Promise<Uint8Array> {
  // GeneralizedTime in DER carries no fraction of a second (RFC 5280 §4.1.2.5.2).
  const now = new Date(Math.floor(at.getTime() / 1000) * 1000);
  let request: pkijs.OCSPRequest;
  try {
    request = pkijs.OCSPRequest.fromBER(requestDer);
  } catch {
    return statusOnly(MALFORMED_REQUEST);
  }
  const { requestList, requestExtensions } = request.tbsRequest;
  const nonce = requestExtensions?.find((extension) => extension.extnID === ID_PKIX_OCSP_NONCE);
  if (requestList.length === 0 || (nonce && nonceValue(nonce).byteLength > MAX_NONCE_OCTETS)) return statusOnly(MALFORMED_REQUEST);
  const issuer = toPkijs(qtsp.issuingCertificate);
  const basic = new pkijs.BasicOCSPResponse();
  basic.tbsResponseData.responderID = issuer.subject;
  basic.tbsResponseData.producedAt = now;
  for (const { reqCert } of requestList) {
    if (!(await issuedBy(reqCert, issuer))) return statusOnly(UNAUTHORIZED);
    const serialNumber = Buffer.from(reqCert.serialNumber.valueBlock.valueHexView).toString('hex');
    const record = await records.certificateRevocation(serialNumber);
    basic.tbsResponseData.responses.push(
      new pkijs.SingleResponse({
        certID: reqCert,
        certStatus: record === undefined ? implicitNull(2) : record.revokedAt ? revokedInfo(record.revokedAt) : implicitNull(0),
        thisUpdate: now,
        nextUpdate: new Date(now.getTime() + SANDBOX_OCSP_VALIDITY_MS),
      }),
    );
  }
  if (nonce) basic.tbsResponseData.responseExtensions = [nonce];
  basic.certs = [issuer];
  await basic.sign(qtsp.issuingPrivateKey, 'SHA-256');
  return new Uint8Array(
    new pkijs.OCSPResponse({
      responseStatus: new asn1js.Enumerated({ value: 0 }),
      responseBytes: new pkijs.ResponseBytes({ responseType: pkijs.id_PKIX_OCSP_Basic, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }) }),
    })
      .toSchema()
      .toBER(false),
  );
}

/** Whether the CertID names this issuer, under whatever hash algorithm the client chose. */
async function issuedBy(certId: pkijs.CertID, issuer: pkijs.Certificate): Promise<boolean> {
  const algorithm = pkijs.getCrypto(true).getAlgorithmByOID(certId.hashAlgorithm.algorithmId, false);
  if (!algorithm || !('name' in algorithm)) return false;
  const expected = new pkijs.CertID();
  await expected.createForCertificate(new pkijs.Certificate({ serialNumber: certId.serialNumber }), { hashAlgorithm: algorithm.name, issuerCertificate: issuer });
  return expected.isEqual(certId);
}

function implicitNull(tagNumber: number): asn1js.Primitive {
  return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber } });
}

function revokedInfo(revokedAt: Date): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.GeneralizedTime({ valueDate: revokedAt })] });
}

function statusOnly(status: number): Uint8Array {
  return new Uint8Array(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER(false));
}
