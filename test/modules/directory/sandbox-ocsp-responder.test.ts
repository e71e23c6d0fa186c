import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { RevocationChecker, type DirectoryApi, type OnboardedTpp, type SandboxQtsp } from '../../../src/modules/directory/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { createHttpsFetch } from '../../../src/platform/https-client/index.ts';
import { x509 } from '../../../src/platform/tls/index.ts';
import { directoryRoutes } from '../../../src/standards/portico-directory/v1/directory.routes.ts';
import { openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { directoryOf } from '../../support/directory-module.ts';
import { createTestCa, issueTestLeaf } from '../../support/test-pki.ts';
import { openssl } from './directory-fixtures.ts';

const fetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 2000 });

/** The responseStatus of a DER OCSPResponse (RFC 6960 §4.2.1). */
function responseStatusOf(der: ArrayBuffer): number {
  return pkijs.OCSPResponse.fromBER(der).responseStatus.valueBlock.valueDec;
}

describe("the sandbox QTSP's OCSP responder (RFC 6960), checked by openssl and by Portico's own client", () => {
  let database: TestDatabase;
  let directory: DirectoryApi;
  let qtsp: SandboxQtsp;
  let server: FastifyInstance;
  let baseUrl: string;
  let tpp: OnboardedTpp;
  let files: string;
  const file = (name: string) => path.join(files, name);

  before(async () => {
    database = await openTestDatabase('postgres');
    directory = directoryOf(database.db);
    qtsp = await directory.loadOrCreateSandboxQtsp();
    server = Fastify();
    await server.register(directoryRoutes, { directory, qtsp });
    baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
    // Certificates issued with this server as the public URL name its responder (authorityInfoAccess).
    tpp = await directory.onboardSandboxTpp(qtsp, { organisationName: 'Ocsp Tester Ltd', roles: ['AISP'], redirectUris: ['https://tpp.example/cb'], publicUrl: baseUrl });
    files = await mkdtemp(path.join(tmpdir(), 'portico-ocsp-client-'));
    await writeFile(file('root.pem'), qtsp.rootCertificatePem);
    await writeFile(file('issuing.pem'), qtsp.issuingCertificatePem);
    await writeFile(file('transport.pem'), tpp.transport.certificatePem);
    await writeFile(file('signing.pem'), tpp.signing.certificatePem);
  });
  after(async () => {
    await server?.close();
    await database?.close();
    await fetch.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  const ocspByOpenssl = (certificateFile: string) =>
    openssl(['ocsp', '-issuer', file('issuing.pem'), '-cert', file(certificateFile), '-url', `${baseUrl}/directory/v1/ocsp`, '-CAfile', file('root.pem'), '-verify_other', file('issuing.pem')], '');

  it('names its responder in every certificate it issues', () => {
    const extension = new x509.X509Certificate(tpp.transport.certificatePem).getExtension(x509.AuthorityInfoAccessExtension);
    assert.deepEqual(
      extension?.ocsp.map((name) => name.value),
      [`${baseUrl}/directory/v1/ocsp`],
    );
  });

  it('answers good, then revoked with the revocation time, with the nonce echoed and the response verified by openssl', async () => {
    assert.match(await ocspByOpenssl('transport.pem'), /transport\.pem: good/);
    await directory.revokeCertificate(new x509.X509Certificate(tpp.transport.certificatePem).serialNumber, 'keyCompromise');
    const answer = await ocspByOpenssl('transport.pem');
    assert.match(answer, /transport\.pem: revoked/);
    assert.match(answer, /Revocation Time: /);
    assert.match(await ocspByOpenssl('signing.pem'), /signing\.pem: good/);
  });

  it("is what Portico's revocation checker asks, through the certificate's own authorityInfoAccess", async () => {
    const checker = new RevocationChecker({ fetch, cache: new MemoryCache(), policy: { mode: 'fail-closed', maxStalenessSeconds: 0, recheckSeconds: 0 } });
    const transport = new x509.X509Certificate(tpp.transport.certificatePem);
    const signing = new x509.X509Certificate(tpp.signing.certificatePem);
    const revoked = await checker.check([transport, qtsp.issuingCertificate, qtsp.rootCertificate]);
    assert.deepEqual([revoked.status, revoked.status !== 'unavailable' && revoked.source], ['revoked', 'ocsp']);
    assert.equal((await checker.check([signing, qtsp.issuingCertificate, qtsp.rootCertificate])).status, 'good');
  });

  it('answers the GET form (base64 request in the path, RFC 6960 Appendix A.1) the same way', async () => {
    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(pkijs.Certificate.fromBER(new x509.X509Certificate(tpp.signing.certificatePem).rawData), {
      hashAlgorithm: 'SHA-1',
      issuerCertificate: pkijs.Certificate.fromBER(qtsp.issuingCertificate.rawData),
    });
    const encoded = encodeURIComponent(Buffer.from(request.toSchema(true).toBER()).toString('base64'));
    const response = await fetch(`${baseUrl}/directory/v1/ocsp/${encoded}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/ocsp-response');
    const der = await response.arrayBuffer();
    assert.equal(responseStatusOf(der), 0);
    const basic = pkijs.BasicOCSPResponse.fromBER(pkijs.OCSPResponse.fromBER(der).responseBytes!.response.valueBlock.valueHexView);
    const status = await basic.getCertificateStatus(pkijs.Certificate.fromBER(new x509.X509Certificate(tpp.signing.certificatePem).rawData), pkijs.Certificate.fromBER(qtsp.issuingCertificate.rawData));
    assert.deepEqual(status, { isForCertificate: true, status: 0 });
  });

  it('answers malformedRequest to bytes that are no OCSP request, and unauthorized for another CA’s certificates', async () => {
    const garbage = await fetch(`${baseUrl}/directory/v1/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: new Uint8Array([0x30, 0x03, 0x02, 0x01]) });
    assert.equal(responseStatusOf(await garbage.arrayBuffer()), 1);
    const notBase64 = await fetch(`${baseUrl}/directory/v1/ocsp/%25%25%25`);
    assert.equal(responseStatusOf(await notBase64.arrayBuffer()), 1);
    const otherCa = await createTestCa('Another QTSP');
    const { certificate } = await issueTestLeaf(otherCa);
    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(pkijs.Certificate.fromBER(certificate.rawData), { hashAlgorithm: 'SHA-256', issuerCertificate: pkijs.Certificate.fromBER(otherCa.certificate.rawData) });
    const foreign = await fetch(`${baseUrl}/directory/v1/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: new Uint8Array(request.toSchema(true).toBER()) });
    assert.equal(responseStatusOf(await foreign.arrayBuffer()), 6);
  });

  it("answers unknown for a serial the QTSP never issued, and refuses a body that is not application/ocsp-request", async () => {
    const request = new pkijs.OCSPRequest();
    const issuer = pkijs.Certificate.fromBER(qtsp.issuingCertificate.rawData);
    await request.createForCertificate(new pkijs.Certificate({ serialNumber: new asn1js.Integer({ value: 424242 }) }), { hashAlgorithm: 'SHA-256', issuerCertificate: issuer });
    const response = await fetch(`${baseUrl}/directory/v1/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: new Uint8Array(request.toSchema(true).toBER()) });
    const basic = pkijs.BasicOCSPResponse.fromBER(pkijs.OCSPResponse.fromBER(await response.arrayBuffer()).responseBytes!.response.valueBlock.valueHexView);
    const [single] = basic.tbsResponseData.responses;
    assert.deepEqual([single!.certStatus.idBlock.tagClass, single!.certStatus.idBlock.tagNumber], [3, 2]);
    const wrongType = await fetch(`${baseUrl}/directory/v1/ocsp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode('{}') });
    assert.equal(wrongType.status, 415);
  });
});
