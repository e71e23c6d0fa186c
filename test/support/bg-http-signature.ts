/**
 * A TPP's side of Berlin Group NextGenPSD2 request signing: the `Digest`, `Signature` and
 * `TPP-Signature-Certificate` headers for a request, built from the Implementation Guidelines and
 * the cavage draft directly (with node:crypto, not the verifier's code), so that a test checks the
 * verifier against the standard rather than against itself.
 */
import { createHash, createPrivateKey, sign, X509Certificate, type KeyObject } from 'node:crypto';

export interface BgSigningInput {
  readonly method: string;
  /** Path and query, as `(request-target)` signs them. */
  readonly url: string;
  /** The request's other headers (X-Request-ID, PSU-ID, …), any case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
  readonly certificatePem: string;
  /** The certificate's private key: PKCS#8 PEM or a KeyObject. */
  readonly privateKey: string | KeyObject;
  /** Defaults to SHA-256. */
  readonly digestAlgorithm?: 'SHA-256' | 'SHA-512';
  /** Defaults to `SHA-256withRSA` for an RSA key and `SHA-256withECDSA` for an EC key. */
  readonly algorithm?: string;
  /** The covered headers, lowercase; by default those the guidelines require, after `(request-target)`. */
  readonly signedHeaders?: readonly string[];
  /** Overrides the `SN=…,CA=…` keyId derived from the certificate. */
  readonly keyId?: string;
}

export interface BgSignatureHeaders {
  readonly Digest: string;
  readonly Signature: string;
  readonly 'TPP-Signature-Certificate': string;
}

const SIGNED_WHEN_PRESENT = ['psu-id', 'psu-corporate-id', 'tpp-redirect-uri', 'date'];

/** The headers to add to a request so that it is signed as NextGenPSD2 v1.3 requires. */
export function signBgRequest(input: BgSigningInput): BgSignatureHeaders {
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const digestAlgorithm = input.digestAlgorithm ?? 'SHA-256';
  const digest = `${digestAlgorithm}=${createHash(digestAlgorithm === 'SHA-512' ? 'sha512' : 'sha256').update(body).digest('base64')}`;

  const lowercase = new Map(Object.entries(input.headers).map(([name, value]) => [name.toLowerCase(), value]));
  lowercase.set('digest', digest);
  const signedHeaders = input.signedHeaders ?? ['(request-target)', 'digest', 'x-request-id', ...SIGNED_WHEN_PRESENT.filter((name) => lowercase.has(name))];
  const signingString = signedHeaders
    .map((name) => (name === '(request-target)' ? `${name}: ${input.method.toLowerCase()} ${input.url}` : `${name}: ${lowercase.get(name) ?? ''}`))
    .join('\n');

  const key = typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey;
  const algorithm = input.algorithm ?? (key.asymmetricKeyType === 'ec' ? 'SHA-256withECDSA' : 'SHA-256withRSA');
  // RSA keys sign PKCS#1 v1.5 and EC keys DER-encoded ECDSA by default, as the Java names mean.
  const signature = sign(/512/.test(algorithm) ? 'sha512' : 'sha256', Buffer.from(signingString, 'utf8'), key).toString('base64');

  const certificate = new X509Certificate(input.certificatePem);
  // node prints the issuer one attribute a line, in the certificate's order.
  const keyId = input.keyId ?? `SN=${certificate.serialNumber},CA=${certificate.issuer.split('\n').join(',')}`;
  return {
    Digest: digest,
    Signature: `keyId="${keyId}",algorithm="${algorithm}",headers="${signedHeaders.join(' ')}",signature="${signature}"`,
    'TPP-Signature-Certificate': certificate.raw.toString('base64'),
  };
}
