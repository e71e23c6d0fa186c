import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { subjectDnMatches } from '../../src/auth/index.ts';
import { EC_P256, generateKeyPair, randomSerialNumber, x509 } from '../../src/platform/tls/index.ts';

async function certificateWithSubject(subject: string): Promise<string> {
  const keys = await generateKeyPair(EC_P256);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3600_000),
    keys,
    signingAlgorithm: EC_P256,
  });
  return certificate.toString('pem');
}

describe('tls_client_auth_subject_dn matching (RFC 8705 §2.1.2)', () => {
  let obStyle: string;
  let withOrgId: string;

  before(async () => {
    obStyle = await certificateWithSubject('CN=0015800001041REAAY, OU=0015800001041RE, O=OpenBanking, C=GB');
    withOrgId = await certificateWithSubject('2.5.4.97=PSDGB-FCA-123456, CN=Acme TPP\\, Ltd, O=Acme, C=GB');
  });

  it('accepts the subject in certificate order and in RFC 4514 (reversed) order', () => {
    assert.equal(subjectDnMatches(obStyle, 'CN=0015800001041REAAY,OU=0015800001041RE,O=OpenBanking,C=GB'), true);
    assert.equal(subjectDnMatches(obStyle, 'C=GB,O=OpenBanking,OU=0015800001041RE,CN=0015800001041REAAY'), true);
  });

  it('ignores keyword case, OIDs for keywords, value case and insignificant spaces', () => {
    assert.equal(subjectDnMatches(obStyle, 'cn=0015800001041reaay , ou=0015800001041RE,  o=openbanking ,c=gb'), true);
    assert.equal(subjectDnMatches(obStyle, '2.5.4.3=0015800001041REAAY,2.5.4.11=0015800001041RE,2.5.4.10=OpenBanking,2.5.4.6=GB'), true);
  });

  it('understands organizationIdentifier and escaped commas', () => {
    assert.equal(subjectDnMatches(withOrgId, 'organizationIdentifier=PSDGB-FCA-123456,CN=Acme TPP\\, Ltd,O=Acme,C=GB'), true);
    assert.equal(subjectDnMatches(withOrgId, 'C=GB,O=Acme,CN=Acme TPP\\2C Ltd,2.5.4.97=PSDGB-FCA-123456'), true);
  });

  it('rejects another subject, a missing or extra attribute, a shuffled order and garbage', () => {
    assert.equal(subjectDnMatches(obStyle, 'CN=0015800001041REAAZ,OU=0015800001041RE,O=OpenBanking,C=GB'), false);
    assert.equal(subjectDnMatches(obStyle, 'CN=0015800001041REAAY,O=OpenBanking,C=GB'), false);
    assert.equal(subjectDnMatches(obStyle, 'CN=0015800001041REAAY,OU=0015800001041RE,O=OpenBanking,C=GB,L=London'), false);
    assert.equal(subjectDnMatches(obStyle, 'OU=0015800001041RE,CN=0015800001041REAAY,O=OpenBanking,C=GB'), false);
    assert.equal(subjectDnMatches(obStyle, ''), false);
    assert.equal(subjectDnMatches(obStyle, 'not a dn'), false);
  });
});
