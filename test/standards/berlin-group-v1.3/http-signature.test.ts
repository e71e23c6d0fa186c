import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { parseSignatureHeader, verifyDigest, verifyHttpSignature, type SignedRequest } from '../../../src/standards/berlin-group/v1.3/security/http-signature.ts';
import { x509 } from '../../../src/platform/tls/index.ts';
import { createTestCa, issueTestLeaf, type TestCa, type TestLeaf } from '../../support/test-pki.ts';
import { signBgRequest, type BgSigningInput } from '../../support/bg-http-signature.ts';

const PAYMENT_URL = '/v1/payments/sepa-credit-transfers?lang=en';
const PAYMENT = JSON.stringify({
  instructedAmount: { currency: 'EUR', amount: '123.50' },
  debtorAccount: { iban: 'DE40100100103307118608' },
  creditorName: 'Merchant123',
  creditorAccount: { iban: 'DE02100100109307118603' },
});
const REQUEST_HEADERS = {
  'X-Request-ID': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
  'PSU-ID': 'PSU-1234',
  'TPP-Redirect-URI': 'https://tpp.example/redirect',
  Date: 'Sun, 06 Nov 1994 08:49:37 GMT',
  'Content-Type': 'application/json',
};
const SEAL_USAGES = [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)];

describe('Berlin Group v1.3 HTTP request signatures', () => {
  let ca: TestCa;
  let seal: TestLeaf;
  let otherSeal: TestLeaf;

  before(async () => {
    ca = await createTestCa('BG Test QTSP');
    const rsaKeys = (await webcrypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )) as webcrypto.CryptoKeyPair;
    seal = await issueTestLeaf(ca, { subject: 'CN=tpp.example, O=Example TPP, C=DE', keys: rsaKeys, extensions: SEAL_USAGES });
    // An EC P-256 seal of the same CA: another certificate, and an ECDSA signer.
    otherSeal = await issueTestLeaf(ca, { subject: 'CN=other.example, O=Other TPP, C=DE', extensions: SEAL_USAGES });
  });

  /** A signed payment initiation, with `change` applied to the signing input. */
  function signedPayment(change: Partial<BgSigningInput> = {}): { headers: Record<string, string>; body: Buffer } {
    const input: BgSigningInput = { method: 'POST', url: PAYMENT_URL, headers: REQUEST_HEADERS, body: PAYMENT, certificatePem: seal.certificate.toString('pem'), privateKey: seal.privateKeyPem, ...change };
    return { headers: { ...input.headers, ...signBgRequest(input) }, body: Buffer.from(input.body) };
  }

  function verify(request: { headers: Record<string, string>; body: Buffer }, url = PAYMENT_URL): ReturnType<typeof verifyHttpSignature> {
    const signed: SignedRequest = { method: 'POST', url, headers: request.headers, body: request.body };
    return verifyHttpSignature(signed);
  }

  function assertRefused(result: ReturnType<typeof verifyHttpSignature>, reason: string): void {
    assert.equal(result.ok, false, 'the request should be refused');
    if (!result.ok) {
      assert.equal(result.reason, reason, result.message);
      assert.ok(result.message.length > 0);
    }
  }

  it('accepts a correctly signed payment and returns the signing certificate', () => {
    const result = verify(signedPayment());
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.deepEqual(result.certificateDer, Buffer.from(seal.certificate.rawData));
  });

  it('accepts node-style lowercase header names and an absolute URL', () => {
    const { headers, body } = signedPayment();
    const lowercase = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    assert.ok(verify({ headers: lowercase, body }, `https://bank.example${PAYMENT_URL}`).ok);
  });

  it('a payment whose body changes after signing is refused', () => {
    const { headers } = signedPayment();
    const tampered = Buffer.from(PAYMENT.replace('123.50', '9123.50'));
    assertRefused(verify({ headers, body: tampered }), 'digest-invalid');
  });

  it('a payment whose Digest and body are both replaced after signing is refused', () => {
    const tampered = signedPayment({ body: PAYMENT.replace('123.50', '9123.50') });
    const { headers } = signedPayment();
    assertRefused(verify({ headers: { ...headers, Digest: tampered.headers['Digest']! }, body: tampered.body }), 'signature-invalid');
  });

  it('a request whose X-Request-ID is replaced after signing is refused', () => {
    const { headers, body } = signedPayment();
    assertRefused(verify({ headers: { ...headers, 'X-Request-ID': '00000000-0000-4000-8000-000000000000' }, body }), 'signature-invalid');
  });

  it('a request redirected to another path after signing is refused', () => {
    assertRefused(verify(signedPayment(), '/v1/payments/instant-sepa-credit-transfers?lang=en'), 'signature-invalid');
  });

  it('refuses a signature that does not cover the Digest or the X-Request-ID', () => {
    assertRefused(verify(signedPayment({ signedHeaders: ['x-request-id', 'psu-id', 'tpp-redirect-uri', 'date'] })), 'signature-invalid');
    assertRefused(verify(signedPayment({ signedHeaders: ['digest', 'psu-id', 'tpp-redirect-uri', 'date'] })), 'signature-invalid');
  });

  it('refuses a signature that leaves out a PSU-ID the request carries', () => {
    assertRefused(verify(signedPayment({ signedHeaders: ['digest', 'x-request-id', 'tpp-redirect-uri', 'date'] })), 'signature-invalid');
  });

  it('refuses a signature that covers a header the request does not carry', () => {
    const { headers, body } = signedPayment({ signedHeaders: ['digest', 'x-request-id', 'psu-id', 'tpp-redirect-uri', 'date', 'psu-ip-address'] });
    assertRefused(verify({ headers, body }), 'signature-invalid');
  });

  it('refuses a keyId naming another certificate serial number', () => {
    assertRefused(verify(signedPayment({ keyId: `SN=${otherSeal.certificate.serialNumber},CA=${seal.certificate.issuer}` })), 'signature-invalid');
  });

  it('refuses a keyId naming another issuer', () => {
    assertRefused(verify(signedPayment({ keyId: `SN=${seal.certificate.serialNumber},CA=CN=Another QTSP,O=Test PKI,C=GB` })), 'signature-invalid');
  });

  it('matches a keyId however its serial and issuer are spelled', () => {
    const serial = `00${seal.certificate.serialNumber.toLowerCase()}`;
    // The guidelines' example percent-encodes the issuer; RFC 4514 lists it most-specific last.
    const issuer = encodeURIComponent('C=GB, o=test  pki, commonName=BG Test QTSP').replaceAll('%2C', ',').replaceAll('%3D', '=');
    assert.ok(verify(signedPayment({ keyId: `SN=${serial},CA=${issuer}` })).ok);
  });

  it('refuses a request without TPP-Signature-Certificate, or with one that is not a certificate', () => {
    const { headers, body } = signedPayment();
    const { 'TPP-Signature-Certificate': _certificate, ...withoutCertificate } = headers;
    assertRefused(verify({ headers: withoutCertificate, body }), 'certificate-missing');
    assertRefused(verify({ headers: { ...headers, 'TPP-Signature-Certificate': 'bm90IGEgY2VydGlmaWNhdGU=' }, body }), 'certificate-invalid');
  });

  it('accepts the certificate as a one-line PEM', () => {
    const { headers, body } = signedPayment();
    const pem = seal.certificate.toString('pem').replace(/\r?\n/g, ' ');
    assert.ok(verify({ headers: { ...headers, 'TPP-Signature-Certificate': pem }, body }).ok);
  });

  it('refuses a certificate other than the one that signed', () => {
    const { headers, body } = signedPayment({ keyId: `SN=${otherSeal.certificate.serialNumber},CA=${otherSeal.certificate.issuer}` });
    const otherDer = Buffer.from(otherSeal.certificate.rawData).toString('base64');
    assertRefused(verify({ headers: { ...headers, 'TPP-Signature-Certificate': otherDer }, body }), 'signature-invalid');
  });

  it('refuses a request without a Signature or a Digest', () => {
    const { headers, body } = signedPayment();
    const { Signature: _signature, ...unsigned } = headers;
    assertRefused(verify({ headers: unsigned, body }), 'signature-missing');
    const { Digest: _digest, ...undigested } = headers;
    assertRefused(verify({ headers: undigested, body }), 'digest-missing');
  });

  it('accepts a SHA-512 digest', () => {
    const request = signedPayment({ digestAlgorithm: 'SHA-512' });
    assert.match(request.headers['Digest']!, /^SHA-512=/);
    assert.ok(verify(request).ok);
  });

  it('accepts the cavage name of the algorithm and ECDSA seals', () => {
    assert.ok(verify(signedPayment({ algorithm: 'rsa-sha256' })).ok);
    const ecdsa = signedPayment({ certificatePem: otherSeal.certificate.toString('pem'), privateKey: otherSeal.privateKeyPem });
    assert.match(ecdsa.headers['Signature']!, /algorithm="SHA-256withECDSA"/);
    assert.ok(verify(ecdsa).ok);
  });

  it('refuses an unknown algorithm, and one the certificate key cannot verify', () => {
    assertRefused(verify(signedPayment({ algorithm: 'hmac-sha256' })), 'signature-invalid');
    assertRefused(verify(signedPayment({ algorithm: 'SHA-1withRSA' })), 'signature-invalid');
    assertRefused(verify(signedPayment({ algorithm: 'SHA-256withECDSA' })), 'signature-invalid');
  });

  it('refuses a malformed Signature header without throwing', () => {
    const { headers, body } = signedPayment();
    const malformed = [
      '',
      'garbage',
      'keyId="SN=1,CA=CN=x"',
      'keyId="SN=1,CA=CN=x",algorithm="SHA-256withRSA",headers="digest x-request-id",signature="not base64!"',
      'keyId="SN=1,CA=CN=x",algorithm="SHA-256withRSA",headers="digest x-request-id",signature="AAAA',
      'keyId="a",keyId="b",algorithm="SHA-256withRSA",headers="digest x-request-id",signature="AAAA"',
      'keyId="not a keyId",algorithm="SHA-256withRSA",headers="digest x-request-id psu-id tpp-redirect-uri date",signature="AAAA"',
    ];
    for (const value of malformed) {
      const result = verify({ headers: { ...headers, Signature: value }, body });
      assertRefused(result, 'signature-invalid');
    }
    assert.equal(parseSignatureHeader('garbage').ok, false);
  });

  it('parses the parameters of a Signature header', () => {
    const parsed = parseSignatureHeader('keyId="SN=9FA1,CA=CN=D-TRUST CA 2-1 2015,O=D-Trust GmbH,C=DE", algorithm="SHA-256withRSA", headers="Digest X-Request-ID PSU-ID", signature="AQID"');
    assert.ok(parsed.ok);
    assert.equal(parsed.keyId, 'SN=9FA1,CA=CN=D-TRUST CA 2-1 2015,O=D-Trust GmbH,C=DE');
    assert.equal(parsed.algorithm, 'SHA-256withRSA');
    assert.deepEqual(parsed.headers, ['digest', 'x-request-id', 'psu-id']);
    assert.deepEqual(parsed.signature, Buffer.from([1, 2, 3]));
  });

  it('checks a Digest against the exact body bytes', () => {
    assert.ok(verifyDigest('SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', Buffer.alloc(0)).ok);
    assert.ok(verifyDigest('sha-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', Buffer.alloc(0)).ok);
    assert.equal(verifyDigest('SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', Buffer.from(' ')).ok, false);
    assert.equal(verifyDigest('MD5=1B2M2Y8AsgTpgAmY7PhCfg==', Buffer.alloc(0)).ok, false);
    assert.equal(verifyDigest('nonsense', Buffer.alloc(0)).ok, false);
  });
});
