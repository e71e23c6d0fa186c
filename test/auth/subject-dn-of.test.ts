import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { subjectDnMatches, subjectDnOf } from '../../src/auth/index.ts';
import { EC_P256, generateKeyPair, randomSerialNumber, x509 } from '../../src/platform/tls/index.ts';

async function certificateWithSubject(name: x509.Name): Promise<string> {
  const keys = await generateKeyPair(EC_P256);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3600_000),
    keys,
    signingAlgorithm: EC_P256,
  });
  return certificate.toString('pem');
}

describe('subjectDnOf: the RFC 4514 string to register as tls_client_auth_subject_dn', () => {
  it('writes the RDNs last first, organizationIdentifier as its OID, and escapes the RFC 4514 §2.4 specials', async () => {
    const pem = await certificateWithSubject(
      new x509.Name([{ C: ['GB'] }, { O: [{ utf8String: '#Acme, "Pay"+Save <UK>; Ltd\\ ' }] }, { '2.5.4.97': [{ utf8String: 'PSDGB-FCA-123456' }] }, { CN: ['abc123'] }]),
    );
    const dn = subjectDnOf(pem);
    assert.equal(dn, 'CN=abc123,2.5.4.97=PSDGB-FCA-123456,O=\\#Acme\\, \\"Pay\\"\\+Save \\<UK\\>\\; Ltd\\\\\\ ,C=GB');
    assert.equal(subjectDnMatches(pem, dn), true, 'the string matches the certificate it came from');
  });
});
