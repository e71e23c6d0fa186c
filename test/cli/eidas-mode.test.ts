import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { x509 } from '../../src/platform/tls/index.ts';
import { openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../support/backends.ts';
import { startOcspResponder } from '../support/ocsp-responder.ts';
import { runPortico } from '../support/run-portico.ts';
import { createTestCa, GERMAN_BANK, issueGermanPiQwac, issueQwac } from '../support/test-pki.ts';
import { createListSigner, listOfTrustedListsXml, nationalListXml, signList } from '../support/trusted-lists.ts';

const REGISTER = path.join(import.meta.dirname, '../fixtures/registers/eba-psd2-register.json');
const CREDIT_INSTITUTIONS = path.join(import.meta.dirname, '../fixtures/registers/eba-credit-institutions-register.json');
const DNB_REGISTER = path.join(import.meta.dirname, '../fixtures/registers/dnb-public-register.json');

describe('eIDAS mode from the command line: trust-lists refresh (offline), registers import, tpp explain (PostgreSQL)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let dir: string;
  let ocsp: Awaited<ReturnType<typeof startOcspResponder>>;
  const revoked = new Set<string>();

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-eidas-'));
    const [lotlSigner, germanSigner] = await Promise.all([createListSigner('EU LOTL signer'), createListSigner('DE TL signer')]);
    const ca = await createTestCa('DE QWAC CA', { notBefore: new Date(Date.now() - 500 * 86_400_000) });
    ocsp = await startOcspResponder([ca], revoked);
    await fs.writeFile(path.join(dir, 'lotl-signers.pem'), lotlSigner.certificatePem);
    await fs.mkdir(path.join(dir, 'lists'));
    await fs.writeFile(path.join(dir, 'lists', 'eu-lotl.xml'), signList(listOfTrustedListsXml([{ territory: 'DE', location: 'https://tl.example/TL-DE.xml', signerPems: [germanSigner.certificatePem] }]), lotlSigner));
    const granted = new Date(Date.now() - 400 * 86_400_000);
    await fs.writeFile(path.join(dir, 'lists', 'TL-DE.xml'), signList(nationalListXml('DE', [{ provider: 'Qualified Trust GmbH', name: 'QWAC CA', certificatePem: ca.certificate.toString('pem'), uses: ['QWAC'], statuses: [{ status: 'granted', from: granted }] }], 3), germanSigner));
    const { certificate } = await issueGermanPiQwac(ca, `${ocsp.url}/0`);
    await fs.writeFile(path.join(dir, 'qwac.pem'), certificate.toString('pem'));
    await fs.writeFile(path.join(dir, 'bank-qwac.pem'), (await issueQwac(ca, `${ocsp.url}/0`, GERMAN_BANK)).certificate.toString('pem'));
    // The DNB register fixture's payment institution (licensed in NL for AIS and PIS, passported to DE for AIS).
    const dutchPi = { country: 'NL', name: 'Initiatie Betalingen B.V.', organizationIdentifier: 'PSDNL-DNB-R180001', commonName: 'api.initiatie.example', roles: ['AISP', 'PISP'], nca: { name: 'De Nederlandsche Bank', id: 'NL-DNB' } } as const;
    await fs.writeFile(path.join(dir, 'dutch-pi-qwac.pem'), (await issueQwac(ca, `${ocsp.url}/0`, { ...dutchPi, roles: [...dutchPi.roles] })).certificate.toString('pem'));
    env = {
      DATABASE_URL: database.url!,
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: dir,
      SANDBOX: 'false',
      DIRECTORY: 'eidas',
      REGISTERS: 'eba,cir',
      ASPSP_COUNTRY: 'FR',
      TRUSTED_LISTS_LOTL_SIGNERS_FILE: path.join(dir, 'lotl-signers.pem'),
      // Each explanation asks the QTSP afresh (answers are otherwise shared for 30 s through Redis).
      EIDAS_REVOCATION_RECHECK_SECONDS: '0',
    };
  });
  after(async () => {
    await ocsp?.close();
    await database?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('imports the trusted lists from files and lists them', async () => {
    const refresh = await runPortico(['trust-lists', 'refresh', '--lotl', path.join(dir, 'lists', 'eu-lotl.xml'), '--dir', path.join(dir, 'lists')], env);
    assert.equal(refresh.code, 0, refresh.stderr);
    assert.equal(refresh.stdout, 'DE  imported  sequence 3, 1 services\n');
    const status = await runPortico(['trust-lists', 'status'], env);
    assert.match(status.stdout, /^DE {2}sequence 3 {2}1 services {2}imported \S+ {2}next update \S+ {2}from https:\/\/tl\.example\/TL-DE\.xml\n$/);
  });

  it('explains a QWAC: trusted list, revocation, QCStatement, and the registers for the bank country (passported)', async () => {
    const imported = await runPortico(['registers', 'import', REGISTER], env);
    assert.equal(imported.code, 0, imported.stderr);
    const run = await runPortico(['tpp', 'explain', 'PSDDE-BAFIN-123456', '--pem', path.join(dir, 'qwac.pem')], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\nRegisters for FR: PSDDE-BAFIN-123456 authorised \(passport\): AISP\n/);
    const steps = [...run.stdout.matchAll(/^ {2}([✓✗]) (.+?) {2,}/gm)].map((match) => `${match[1]} ${match[2]!.trim()}`);
    assert.deepEqual(steps, ['✓ certificate', '✓ trusted list', '✓ chain', '✓ validity', '✓ key usage', '✓ revocation of zahlung.example', '✓ PSD2 QCStatement', '✓ organizationIdentifier', '✓ roles', '✓ registers (FR)', '✓ roles with the registers']);
    assert.match(run.stdout, / {2}Verdict: TRUSTED, roles AISP\n$/);
  });

  it('explains a bank acting as a TPP: its QWAC names its banking licence, the Credit Institutions Register lists it and its French branch', async () => {
    const imported = await runPortico(['registers', 'import', '--register', 'cir', CREDIT_INSTITUTIONS], env);
    assert.equal(imported.code, 0, imported.stderr);
    const run = await runPortico(['tpp', 'explain', 'PSDDE-BAFIN-100099', '--pem', path.join(dir, 'bank-qwac.pem')], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /\nRegisters for FR: PSDDE-BAFIN-100099 authorised \(passport\): AISP, CBPII, PISP\n {2}CIR 529900BEISPIELBANK01 {2}Beispielbank AG {2}CRD_CRE_INS, home DE, authorised since 1998-07-01; roles DE AISP\+CBPII\+PISP, FR AISP\+CBPII\+PISP\n/,
    );
    assert.match(run.stdout, /✓ registers \(FR\) +passported: CIR 529900BEISPIELBANK01 Beispielbank AG, authorised since 1998-07-01, services DE: AISP\+CBPII\+PISP; FR: AISP\+CBPII\+PISP\n/);
    assert.match(run.stdout, / {2}Verdict: TRUSTED, roles AISP, PISP, CBPII\n$/);
  });

  it('explains a Dutch payment institution to a German bank: DNB lists its licence at home and its AIS passport to Germany, so its PISP role is dropped', async () => {
    const german = { ...env, ASPSP_COUNTRY: 'DE', REGISTERS: 'eba,cir,dnb', REGISTER_DNB_API_KEY: 'not-asked' };
    const imported = await runPortico(['registers', 'import', '--register', 'dnb', DNB_REGISTER], german);
    assert.equal(imported.code, 0, imported.stderr);
    const run = await runPortico(['tpp', 'explain', 'PSDNL-DNB-R180001', '--pem', path.join(dir, 'dutch-pi-qwac.pem')], german);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\nRegisters for DE: PSDNL-DNB-R180001 authorised \(passport\): AISP\n {2}DNB R180001 {2}Initiatie Betalingen B\.V\. {2}WFTBI, home NL, authorised since 2019-06-01; roles NL AISP\+PISP, DE AISP\n/);
    assert.match(run.stdout, /✓ registers \(DE\) +passported: DNB R180001 Initiatie Betalingen B\.V\., authorised since 2019-06-01, services DE: AISP; NL: AISP\+PISP\n/);
    assert.match(run.stdout, / {2}Verdict: TRUSTED, roles AISP\n$/);
  });

  it('attack: the same QWAC once revoked — refused, and the explanation says by whom', async () => {
    revoked.add(new x509.X509Certificate(await fs.readFile(path.join(dir, 'qwac.pem'), 'utf8')).serialNumber.toLowerCase());
    const run = await runPortico(['tpp', 'explain', 'PSDDE-BAFIN-123456', '--pem', path.join(dir, 'qwac.pem')], env);
    assert.match(run.stdout, /✗ revocation of zahlung\.example {2,}The client certificate has been revoked: revoked at \S+ by ocsp/);
    assert.match(run.stdout, /Verdict: REFUSED \(401 DIRECTORY\.CERTIFICATE_REVOKED\)/);
  });
});
