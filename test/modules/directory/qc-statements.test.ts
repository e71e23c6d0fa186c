import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EC_P256, generateKeyPair, randomSerialNumber, x509 } from '../../../src/platform/tls/index.ts';
import { encodePsd2QcStatements, ID_PE_QC_STATEMENTS, parsePsd2QcStatement, type Psd2QcStatementInput, type SandboxQtsp } from '../../../src/modules/directory/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { leafPem, onboardTestTpp, openssl, PUBLIC_URL } from './directory-fixtures.ts';
import { directoryOf } from '../../support/directory-module.ts';

async function certificateWith(extensions: x509.Extension[]): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: 'CN=QC test',
    keys: await generateKeyPair(EC_P256),
    signingAlgorithm: EC_P256,
    extensions,
  });
}

describe('PSD2 QCStatements (ETSI TS 119 495 §5.1)', () => {
  it('round-trips every role, the NCA name and the NCA id through a certificate', async () => {
    const input: Psd2QcStatementInput = { roles: ['ASPSP', 'PISP', 'AISP', 'CBPII'], ncaName: 'Financial Conduct Authority', ncaId: 'GB-FCA', type: 'web' };
    const certificate = await certificateWith([new x509.Extension(ID_PE_QC_STATEMENTS, false, encodePsd2QcStatements(input))]);
    const reparsed = new x509.X509Certificate(certificate.toString('pem'));
    assert.deepEqual(parsePsd2QcStatement(reparsed), { roles: ['ASPSP', 'PISP', 'AISP', 'CBPII'], ncaName: 'Financial Conduct Authority', ncaId: 'GB-FCA' });
  });

  it('encodes QcCompliance, QcType and the PSD2 statement in that order, with exact DER', () => {
    const der = Buffer.from(encodePsd2QcStatements({ roles: ['AISP'], ncaName: 'FCA', ncaId: 'GB-FCA', type: 'eseal' }));
    const expected =
      '304d' + // QCStatements
      '3008' + '0606' + '04008e460101' + // QcCompliance 0.4.0.1862.1.1, no statementInfo
      '3013' + '0606' + '04008e460106' + '3009' + '0607' + '04008e46010602' + // QcType: eseal 0.4.0.1862.1.6.2
      '302c' + '0606' + '040081982702' + // 0.4.0.19495.2
      '3022' + // PSD2QcType
      '3013' + '3011' + '0607' + '04008198270103' + '0c06' + Buffer.from('PSP_AI').toString('hex') + // RolesOfPSP { RoleOfPSP AISP }
      '0c03' + Buffer.from('FCA').toString('hex') + '0c06' + Buffer.from('GB-FCA').toString('hex');
    assert.equal(der.toString('hex'), expected);
  });

  it('finds no statement in a certificate without the extension', async () => {
    assert.equal(parsePsd2QcStatement(await certificateWith([])), undefined);
  });

  it('treats an undecodable extension value as no statement', async () => {
    const certificate = await certificateWith([new x509.Extension(ID_PE_QC_STATEMENTS, false, new Uint8Array([0x04, 0x01, 0x00]))]);
    assert.equal(parsePsd2QcStatement(certificate), undefined);
  });
});

for (const dialect of DIALECTS) {
  describe(`issued TPP certificates seen by openssl (${dialect})`, () => {
    let database: TestDatabase;
    let qtsp: SandboxQtsp;
    let dir: string;

    before(async () => {
      database = await openTestDatabase(dialect);
      qtsp = await directoryOf(database.db).loadOrCreateSandboxQtsp();
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-qc-'));
    });
    after(async () => {
      await database?.close();
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('shows the QC statements, the PSD2 roles, the organizationIdentifier and the CRL distribution point', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp, { roles: ['AISP', 'CBPII'] });
      const expectations = [
        { pem: tpp.transport.certificatePem, qcType: '0.4.0.1862.1.6.3', usage: /TLS Web Client Authentication/ },
        { pem: tpp.signing.certificatePem, qcType: '0.4.0.1862.1.6.2', usage: /Non Repudiation/ },
      ];
      for (const { pem, qcType, usage } of expectations) {
        const text = await openssl(['x509', '-noout', '-text', '-certopt', 'ext_parse'], leafPem(pem));
        assert.match(text, /qcStatements:/);
        assert.match(text, /OBJECT\s+:0\.4\.0\.1862\.1\.1\n/, 'QcCompliance');
        assert.ok(text.includes(`:${qcType}\n`), `QcType ${qcType}`);
        assert.match(text, /OBJECT\s+:0\.4\.0\.19495\.2\n/, 'id-etsi-psd2-qcStatement');
        assert.match(text, /:0\.4\.0\.19495\.1\.3\n.*UTF8STRING\s+:PSP_AI/);
        assert.match(text, /:0\.4\.0\.19495\.1\.4\n.*UTF8STRING\s+:PSP_IC/);
        assert.doesNotMatch(text, /PSP_PI/);
        assert.match(text, /UTF8STRING\s+:Financial Conduct Authority/);
        assert.match(text, /UTF8STRING\s+:GB-FCA/);
        assert.match(text, new RegExp(`Subject: C = GB, O = Acme Payments Ltd, organizationIdentifier = PSDGB-FCA-\\d{6}, CN = ${tpp.softwareId}`));
        assert.ok(text.includes(`URI:${PUBLIC_URL}/directory/v1/crl`), 'CRL distribution point');
        assert.ok(text.includes(`OCSP - URI:${PUBLIC_URL}/directory/v1/ocsp`), 'OCSP responder in authorityInfoAccess');
        assert.match(text, usage);
        assert.match(text, /Public-Key: \(2048 bit\)/);
      }
    });

    it('chains to the QTSP root for openssl, and the transport certificate passes as an SSL client', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const root = path.join(dir, 'root.pem');
      const issuing = path.join(dir, 'issuing.pem');
      await fs.writeFile(root, qtsp.rootCertificatePem);
      await fs.writeFile(issuing, qtsp.issuingCertificatePem);
      const out = await openssl(['verify', '-CAfile', root, '-untrusted', issuing, '-purpose', 'sslclient'], leafPem(tpp.transport.certificatePem));
      assert.match(out, /: OK/);
      assert.match(await openssl(['verify', '-CAfile', root, '-untrusted', issuing], leafPem(tpp.signing.certificatePem)), /: OK/);
    });
  });
}
