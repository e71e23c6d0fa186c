import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { x509 } from '../../../platform/tls/index.ts';

/**
 * OCSP (RFC 6960) as a relying party speaks it, through pkijs: the request for one certificate
 * with a nonce (RFC 8954), and the checks of a response — the responder is the issuing CA or a
 * responder it delegated to (`id-kp-OCSPSigning`), the signature verifies, the answer is about
 * this certificate, it is current, and it echoes the nonce when it carries one.
 */

/** RFC 6960 §4.4.1 id-pkix-ocsp-nonce. */
const ID_PKIX_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
/** Clock skew tolerated between this platform and a responder. */
const SKEW_MS = 5 * 60_000;

export type OcspCertificateStatus = 'good' | 'revoked' | 'unknown';

/** What a verified OCSP response says about one certificate. */
export interface OcspAnswer {
  readonly status: OcspCertificateStatus;
  readonly thisUpdate: Date;
  /** Absent: the responder always has newer information (RFC 6960 §4.2.2.1). */
  readonly nextUpdate: Date | undefined;
  readonly revokedAt: Date | undefined;
  /** The response bytes, to keep and re-check. */
  readonly der: Uint8Array;
}

/** A response that answers nothing a relying party may use; the reason names the failed check. */
export class OcspResponseRejected extends Error {}

export interface OcspRequest {
  readonly der: Uint8Array;
  readonly nonce: Uint8Array;
}

export const toPkijs = (certificate: x509.X509Certificate): pkijs.Certificate => pkijs.Certificate.fromBER(certificate.rawData);

/** An OCSP request for `certificate` (SHA-256 CertID) with a fresh 32-byte nonce. */
export async function ocspRequestFor(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<OcspRequest> {
  const nonce = new Uint8Array(randomBytes(32));
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(toPkijs(certificate), { hashAlgorithm: 'SHA-256', issuerCertificate: toPkijs(issuer) });
  request.tbsRequest.requestExtensions = [new pkijs.Extension({ extnID: ID_PKIX_OCSP_NONCE, extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER() })];
  return { der: new Uint8Array(request.toSchema(true).toBER()), nonce };
}

export interface ReadOcspOptions {
  /** The nonce sent; undefined for a stapled or remembered response. */
  readonly nonce?: Uint8Array | undefined;
  readonly now: Date;
  /** The certificates above the issuer in the validated path, up to the trust anchor. */
  readonly issuerAncestors?: readonly x509.X509Certificate[];
}

/**
 * The verified answer of an OCSP response about `certificate`, or `OcspResponseRejected`. The
 * issuer is the certificate that signed `certificate`, already validated by the caller's path,
 * and `issuerAncestors` the rest of that path.
 */
export async function readOcspResponse(der: Uint8Array, certificate: x509.X509Certificate, issuer: x509.X509Certificate, { nonce, now, issuerAncestors = [] }: ReadOcspOptions): Promise<OcspAnswer> {
  let response: pkijs.OCSPResponse;
  try {
    response = pkijs.OCSPResponse.fromBER(der);
  } catch {
    throw new OcspResponseRejected('the response is not an OCSPResponse');
  }
  const responseStatus = response.responseStatus.valueBlock.valueDec;
  if (responseStatus !== 0) throw new OcspResponseRejected(`the responder answered status ${responseStatus} (not successful)`);
  if (response.responseBytes?.responseType !== pkijs.id_PKIX_OCSP_Basic) throw new OcspResponseRejected('the response is not a basic OCSP response');
  let basic: pkijs.BasicOCSPResponse;
  try {
    basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
  } catch {
    throw new OcspResponseRejected('the basic OCSP response cannot be parsed');
  }
  const issuerCertificate = toPkijs(issuer);
  // The responder must be the issuer itself, or a responder the issuer delegated to (RFC 6960 §4.2.2.2).
  // pkijs refuses a response that carries no certificate; one signed by the issuer need not carry it.
  if (!basic.certs || basic.certs.length === 0) basic.certs = [issuerCertificate];
  let verified: boolean;
  try {
    // pkijs validates the responder's chain up to a self-signed anchor: the issuer's own validated path.
    verified = await basic.verify({ trustedCerts: [issuerCertificate, ...issuerAncestors.map(toPkijs)], issuerCerts: [issuerCertificate] });
  } catch (error) {
    throw new OcspResponseRejected(`the responder is not authorised by the issuer (${(error as Error).message})`);
  }
  if (!verified) throw new OcspResponseRejected('the response signature does not verify');
  const single = await singleResponseFor(basic, toPkijs(certificate), issuerCertificate);
  if (!single) throw new OcspResponseRejected('the response is not about this certificate');
  if (nonce) checkNonce(basic, nonce);
  const thisUpdate = single.thisUpdate;
  const nextUpdate = single.nextUpdate;
  // RFC 6960 §3.2 (5) and (6): thisUpdate recent enough, nextUpdate not passed.
  if (thisUpdate.getTime() > now.getTime() + SKEW_MS) throw new OcspResponseRejected('the response is dated in the future');
  if (nextUpdate && nextUpdate.getTime() + SKEW_MS < now.getTime()) throw new OcspResponseRejected('the response is out of date (nextUpdate has passed)');
  return { status: single.status, thisUpdate, nextUpdate, revokedAt: single.revokedAt, der };
}

interface SingleAnswer {
  readonly status: OcspCertificateStatus;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly revokedAt: Date | undefined;
}

async function singleResponseFor(basic: pkijs.BasicOCSPResponse, leaf: pkijs.Certificate, issuerCertificate: pkijs.Certificate): Promise<SingleAnswer | undefined> {
  for (const single of basic.tbsResponseData.responses) {
    const hashAlgorithm = pkijs.getCrypto(true).getAlgorithmByOID(single.certID.hashAlgorithm.algorithmId, false);
    if (!hashAlgorithm || !('name' in hashAlgorithm)) continue;
    const expected = await pkijs.CertID.create(leaf, { hashAlgorithm: hashAlgorithm.name, issuerCertificate });
    if (!single.certID.isEqual(expected)) continue;
    return {
      status: statusOf(single.certStatus),
      thisUpdate: single.thisUpdate,
      nextUpdate: single.nextUpdate,
      revokedAt: revokedAtOf(single.certStatus),
    };
  }
  return undefined;
}

/** CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }. */
function statusOf(certStatus: asn1js.AsnType): OcspCertificateStatus {
  const { idBlock } = certStatus as asn1js.BaseBlock;
  if (idBlock.tagClass !== 3) return 'unknown';
  if (idBlock.tagNumber === 0) return 'good';
  if (idBlock.tagNumber === 1) return 'revoked';
  return 'unknown';
}

/** RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }. */
function revokedAtOf(certStatus: asn1js.AsnType): Date | undefined {
  if (statusOf(certStatus) !== 'revoked') return undefined;
  const [time] = ((certStatus as asn1js.Constructed).valueBlock?.value ?? []) as asn1js.BaseBlock[];
  return time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined;
}

/** RFC 8954 §2.1: a response carrying a nonce must carry the one sent; a responder may send none. */
function checkNonce(basic: pkijs.BasicOCSPResponse, nonce: Uint8Array): void {
  const echoed = basic.tbsResponseData.responseExtensions?.find((extension) => extension.extnID === ID_PKIX_OCSP_NONCE);
  if (!echoed) return;
  if (!Buffer.from(nonceValue(echoed)).equals(Buffer.from(nonce))) throw new OcspResponseRejected('the response nonce is not the one sent (a replayed response)');
}

/** The nonce bytes of an extension: an OCTET STRING inside the extnValue (RFC 8954), or the raw value some responders send. */
export function nonceValue(extension: pkijs.Extension): Uint8Array {
  const raw = extension.extnValue.valueBlock.valueHexView;
  const parsed = asn1js.fromBER(raw);
  if (parsed.offset !== -1 && parsed.result instanceof asn1js.OctetString) return parsed.result.valueBlock.valueHexView;
  return raw;
}

export { ID_PKIX_OCSP_NONCE };
