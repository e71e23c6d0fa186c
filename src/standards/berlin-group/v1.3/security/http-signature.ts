/**
 * Request signatures as the Berlin Group NextGenPSD2 Implementation Guidelines v1.3.x require them
 * ("Signature" / "Requirements on the Signature Header"): a `Digest` (RFC 3230) of the body, a
 * `Signature` (draft-cavage-http-signatures-10/12) over chosen headers, and the signer's QSealC in
 * `TPP-Signature-Certificate`.
 *
 * This file only proves that the request was signed, unchanged, with the key of the certificate it
 * carries. Whether that certificate is a trusted QSealC of the calling TPP is the caller's question:
 * it validates the returned DER against the directory.
 */
import { constants, createHash, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { x509 } from '../../../../platform/tls/index.ts';

export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface SignedRequest {
  readonly method: string;
  /** The request target: path and query (`/v1/payments/sepa-credit-transfers?x=1`) or an absolute URL. */
  readonly url: string;
  readonly headers: HttpHeaders;
  /** The body exactly as received: the digest is over these bytes. */
  readonly body: Buffer;
}

/**
 * Why a request is refused. The NextGenPSD2 error codes they correspond to: `signature-missing` →
 * SIGNATURE_MISSING; `signature-invalid`, `digest-missing`, `digest-invalid` → SIGNATURE_INVALID;
 * `certificate-missing` → CERTIFICATE_MISSING; `certificate-invalid` → CERTIFICATE_INVALID.
 */
export type HttpSignatureFailureReason = 'signature-missing' | 'signature-invalid' | 'digest-missing' | 'digest-invalid' | 'certificate-missing' | 'certificate-invalid';

export type HttpSignatureVerification =
  | { readonly ok: true; readonly certificateDer: Buffer }
  | { readonly ok: false; readonly reason: HttpSignatureFailureReason; readonly message: string };

export type ParsedSignatureHeader =
  | { readonly ok: true; readonly keyId: string; readonly algorithm: string; readonly headers: readonly string[]; readonly signature: Buffer }
  | { readonly ok: false; readonly message: string };

export type DigestCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Headers every signature must cover. */
const ALWAYS_SIGNED = ['digest', 'x-request-id'] as const;
/** Headers a signature must cover whenever the request carries them. */
const SIGNED_WHEN_PRESENT = ['psu-id', 'psu-corporate-id', 'tpp-redirect-uri', 'date'] as const;

const DIGEST_HASHES: Readonly<Record<string, string>> = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

interface SignatureAlgorithm {
  readonly hash: 'sha256' | 'sha512';
  readonly keyType: 'rsa' | 'ec';
}
const RSA_SHA256: SignatureAlgorithm = { hash: 'sha256', keyType: 'rsa' };
const RSA_SHA512: SignatureAlgorithm = { hash: 'sha512', keyType: 'rsa' };
const ECDSA_SHA256: SignatureAlgorithm = { hash: 'sha256', keyType: 'ec' };
const ECDSA_SHA512: SignatureAlgorithm = { hash: 'sha512', keyType: 'ec' };
/**
 * The IG names algorithms the Java way (`SHA-256withRSA`), the cavage draft its own way
 * (`rsa-sha256`); keys are lowercase with hyphens removed, so `SHA256withRSA` matches too.
 * RSA here is PKCS#1 v1.5, as both names mean.
 */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  sha256withrsa: RSA_SHA256,
  rsasha256: RSA_SHA256,
  sha512withrsa: RSA_SHA512,
  rsasha512: RSA_SHA512,
  sha256withecdsa: ECDSA_SHA256,
  ecdsasha256: ECDSA_SHA256,
  sha512withecdsa: ECDSA_SHA512,
  ecdsasha512: ECDSA_SHA512,
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** One `name="value"` parameter of the Signature header (draft-12's `created`/`expires` are bare numbers). */
const SIGNATURE_PARAMETER = /\s*([A-Za-z][A-Za-z0-9-]*)\s*=\s*(?:"([^"]*)"|(\d+(?:\.\d+)?))\s*(?:,|$)/y;

/** Parses a `Signature` header; never throws, a malformed header is a failure with a message. */
export function parseSignatureHeader(value: string): ParsedSignatureHeader {
  const parameters = new Map<string, string>();
  SIGNATURE_PARAMETER.lastIndex = 0;
  while (SIGNATURE_PARAMETER.lastIndex < value.length) {
    const match = SIGNATURE_PARAMETER.exec(value);
    if (match === null) return { ok: false, message: 'The Signature header must be a list of name="value" parameters' };
    const name = match[1]!.toLowerCase();
    if (parameters.has(name)) return { ok: false, message: `The Signature header repeats ${match[1]}` };
    parameters.set(name, match[2] ?? match[3] ?? '');
  }
  const keyId = parameters.get('keyid');
  const algorithm = parameters.get('algorithm');
  const headers = parameters.get('headers')?.trim().toLowerCase().split(/\s+/);
  const signature = parameters.get('signature')?.trim();
  if (!keyId) return { ok: false, message: 'The Signature header must name its keyId' };
  if (!algorithm) return { ok: false, message: 'The Signature header must name its algorithm' };
  // The draft's default list is `date` alone, which never satisfies the IG: require the list.
  if (headers === undefined || headers[0] === '') return { ok: false, message: 'The Signature header must list the headers it signs' };
  if (!signature || !BASE64.test(signature)) return { ok: false, message: 'The Signature header must carry a base64 signature' };
  return { ok: true, keyId, algorithm, headers, signature: Buffer.from(signature, 'base64') };
}

/**
 * Checks a `Digest` header (RFC 3230) against the body. Every SHA-256 or SHA-512 instance it lists
 * must match; instances of other algorithms are ignored, but at least one of these two must be there.
 */
export function verifyDigest(digestHeader: string, body: Buffer): DigestCheck {
  let matched = 0;
  for (const instance of digestHeader.split(',')) {
    const separator = instance.indexOf('=');
    if (separator <= 0) return { ok: false, message: 'The Digest header must be a list of algorithm=base64 values' };
    const hash = DIGEST_HASHES[instance.slice(0, separator).trim().toUpperCase()];
    if (hash === undefined) continue;
    const given = instance.slice(separator + 1).trim();
    if (!BASE64.test(given)) return { ok: false, message: 'The Digest value must be base64' };
    const expected = createHash(hash).update(body).digest();
    const actual = Buffer.from(given, 'base64');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, message: 'The Digest does not match the body' };
    matched += 1;
  }
  return matched > 0 ? { ok: true } : { ok: false, message: 'The Digest header must carry a SHA-256 or SHA-512 digest' };
}

/**
 * Verifies a request's `Digest`, `Signature` and `TPP-Signature-Certificate` together and returns
 * the certificate's DER, or the first rule broken. Never throws on what the request carries.
 */
export function verifyHttpSignature(request: SignedRequest): HttpSignatureVerification {
  const headers = lowercaseHeaders(request.headers);
  const signatureHeader = headers.get('signature');
  if (signatureHeader === undefined) return refuse('signature-missing', 'The request must carry a Signature header');
  const parsed = parseSignatureHeader(signatureHeader);
  if (!parsed.ok) return refuse('signature-invalid', parsed.message);
  const algorithm = SIGNATURE_ALGORITHMS[parsed.algorithm.toLowerCase().replaceAll('-', '')];
  if (algorithm === undefined) return refuse('signature-invalid', `The signature algorithm ${parsed.algorithm} is not supported`);

  const digestHeader = headers.get('digest');
  if (digestHeader === undefined) return refuse('digest-missing', 'The request must carry a Digest header');
  const digest = verifyDigest(digestHeader, request.body);
  if (!digest.ok) return refuse('digest-invalid', digest.message);

  const uncovered = [...ALWAYS_SIGNED, ...SIGNED_WHEN_PRESENT.filter((name) => headers.has(name))].filter((name) => !parsed.headers.includes(name));
  if (uncovered.length > 0) return refuse('signature-invalid', `The signature must cover ${uncovered.join(', ')}`);
  const absent = parsed.headers.filter((name) => name !== '(request-target)' && !headers.has(name));
  if (absent.length > 0) return refuse('signature-invalid', `The signature covers ${absent.join(', ')}, which the request does not carry`);

  const certificateHeader = headers.get('tpp-signature-certificate');
  if (certificateHeader === undefined) return refuse('certificate-missing', 'The request must carry a TPP-Signature-Certificate header');
  const certificate = decodeCertificate(certificateHeader);
  if (certificate === undefined) return refuse('certificate-invalid', 'TPP-Signature-Certificate must be a base64 DER or PEM X.509 certificate');
  const keyIdProblem = checkKeyId(parsed.keyId, certificate);
  if (keyIdProblem !== undefined) return refuse('signature-invalid', keyIdProblem);

  const publicKey = publicKeyOf(certificate);
  if (publicKey?.asymmetricKeyType !== algorithm.keyType) return refuse('signature-invalid', `The certificate's key cannot verify ${parsed.algorithm}`);
  const signingString = Buffer.from(buildSigningString(parsed.headers, headers, request), 'utf8');
  if (!verifies(algorithm, signingString, publicKey, parsed.signature)) return refuse('signature-invalid', 'The signature does not verify with the certificate key');
  return { ok: true, certificateDer: Buffer.from(certificate.rawData) };
}

function refuse(reason: HttpSignatureFailureReason, message: string): HttpSignatureVerification {
  return { ok: false, reason, message };
}

/** Header names are case-insensitive; a repeated header signs as its values joined by ", " (draft §2.3). */
function lowercaseHeaders(headers: HttpHeaders): Map<string, string> {
  const result = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : value;
    const key = name.toLowerCase();
    const joined = [result.get(key), ...values.map((item) => item.trim())].filter((item) => item !== undefined).join(', ');
    result.set(key, joined);
  }
  return result;
}

/** The draft's signing string: `name: value` lines of the covered headers, in the order listed. */
function buildSigningString(covered: readonly string[], headers: ReadonlyMap<string, string>, request: SignedRequest): string {
  return covered.map((name) => `${name}: ${name === '(request-target)' ? `${request.method.toLowerCase()} ${requestTarget(request.url)}` : headers.get(name)}`).join('\n');
}

function requestTarget(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

function verifies(algorithm: SignatureAlgorithm, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    if (algorithm.keyType === 'rsa') return verify(algorithm.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    // Java's SHA256withECDSA yields DER; JOSE-minded signers send r||s. Either is the same proof.
    return verify(algorithm.hash, data, { key, dsaEncoding: 'der' }, signature) || verify(algorithm.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

/**
 * The certificate as TPPs send it: base64 DER (which is PEM without its armour), a PEM on one line,
 * a percent-encoded PEM, or the base64 of a whole PEM.
 */
function decodeCertificate(value: string): x509.X509Certificate | undefined {
  let text = value.includes('%') ? safeDecodeUri(value) : value;
  for (let depth = 0; depth < 2; depth += 1) {
    const base64 = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    if (!BASE64.test(base64)) return undefined;
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.subarray(0, 10).toString('latin1') === '-----BEGIN') {
      text = bytes.toString('latin1');
      continue;
    }
    try {
      return new x509.X509Certificate(bytes);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function publicKeyOf(certificate: x509.X509Certificate): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(certificate.publicKey.rawData), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/**
 * The IG's keyId is `SN=<serial, hex>,CA=<issuer DN>`. The serial is compared as a number in hex
 * (case and leading zeros do not matter); the issuer as a set of attributes, so that spacing, case,
 * attribute order (RFC 4514 reverses X.500's), long or short attribute names and the percent-encoding
 * of the IG's own example all match. Returns what is wrong, or undefined.
 */
function checkKeyId(keyId: string, certificate: x509.X509Certificate): string | undefined {
  const match = /^\s*SN\s*=\s*([^,]+?)\s*,\s*CA\s*=\s*(.+?)\s*$/is.exec(keyId);
  if (match === null) return 'keyId must read SN=<serial number>,CA=<issuer distinguished name>';
  if (normaliseSerial(match[1]!) !== normaliseSerial(certificate.serialNumber)) return 'keyId names another certificate serial number than TPP-Signature-Certificate';
  const issuer = canonicalIssuer(match[2]!);
  const expected = certificate.issuerName.toJSON().flatMap((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((item) => attribute(type, String(item)))));
  if (issuer === undefined || issuer.join('\n') !== expected.sort().join('\n')) return 'keyId names another issuer than TPP-Signature-Certificate';
  return undefined;
}

function normaliseSerial(serial: string): string {
  return serial.replace(/[\s:]/g, '').toLowerCase().replace(/^0+(?=.)/, '');
}

/** Long OpenSSL names and OIDs of the attributes issuer DNs use, by their short name. */
const ATTRIBUTE_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ['CN', 'COMMONNAME', '2.5.4.3'],
    ['C', 'COUNTRYNAME', '2.5.4.6'],
    ['L', 'LOCALITYNAME', '2.5.4.7'],
    ['ST', 'S', 'STATEORPROVINCENAME', '2.5.4.8'],
    ['STREET', 'STREETADDRESS', '2.5.4.9'],
    ['O', 'ORGANIZATIONNAME', '2.5.4.10'],
    ['OU', 'ORGANIZATIONALUNITNAME', '2.5.4.11'],
    ['SERIALNUMBER', '2.5.4.5'],
    ['ORGANIZATIONIDENTIFIER', '2.5.4.97'],
    ['E', 'EMAILADDRESS', '1.2.840.113549.1.9.1'],
    ['DC', 'DOMAINCOMPONENT', '0.9.2342.19200300.100.1.25'],
  ].flatMap(([short, ...aliases]) => [short!, ...aliases].map((alias) => [alias, short!])),
);

/** `TYPE=value` with the type's short name and the value compared as X.500 does: case and spacing folded. */
function attribute(type: string, value: string): string {
  const key = type.trim().toUpperCase().replace(/^OID\./, '');
  return `${ATTRIBUTE_ALIASES[key] ?? key}=${value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

/** A DN string's attributes, sorted, or undefined when it is not a DN. Splits on `,` `;` `+` and newlines. */
function canonicalIssuer(dn: string): string[] | undefined {
  const chars = Array.from(/%[0-9A-Fa-f]{2}/.test(dn) ? safeDecodeUri(dn) : dn);
  const parts: string[] = [];
  // Bytes, not characters: RFC 4514 escapes a byte as \XX, and a UTF-8 character may take several.
  let current: number[] = [];
  let quoted = false;
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index]!;
    const hex = char === '\\' ? /^[0-9A-Fa-f]{2}$/.exec(chars.slice(index + 1, index + 3).join('')) : null;
    if (hex !== null) {
      current.push(Number.parseInt(hex[0], 16));
      index += 2;
    } else if (char === '\\' && index + 1 < chars.length) {
      current.push(...Buffer.from(chars[index + 1]!, 'utf8'));
      index += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && /[,;+\n]/.test(char)) {
      parts.push(Buffer.from(current).toString('utf8'));
      current = [];
    } else {
      current.push(...Buffer.from(char, 'utf8'));
    }
  }
  parts.push(Buffer.from(current).toString('utf8'));
  const attributes: string[] = [];
  for (const part of parts) {
    if (part.trim() === '') continue;
    const separator = part.indexOf('=');
    if (separator <= 0) return undefined;
    attributes.push(attribute(part.slice(0, separator), part.slice(separator + 1)));
  }
  return attributes.length > 0 ? attributes.sort() : undefined;
}

function safeDecodeUri(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
