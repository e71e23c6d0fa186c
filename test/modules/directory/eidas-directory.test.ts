import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createEidasDirectory,
  createRegistersModule,
  createTrustedListsModule,
  DirectoryErrors,
  encodePsd2QcStatements,
  fileTrustedListSource,
  ID_PE_QC_STATEMENTS,
  parseEbaRegister,
  RevocationChecker,
  TrustTrace,
  type Psd2Role,
  type TppDirectory,
  type TrustedListsApi,
} from '../../../src/modules/directory/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { createHttpsFetch } from '../../../src/platform/https-client/index.ts';
import { x509 } from '../../../src/platform/tls/index.ts';
import { openTestCache, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { createTestCa, issueTestLeaf, type TestCa } from '../../support/test-pki.ts';
import { startOcspResponder } from '../../support/ocsp-responder.ts';
import { createListSigner, listOfTrustedListsXml, nationalListXml, signList, type ListSigner } from '../../support/trusted-lists.ts';
import { assertAccepted, assertRejected } from './directory-fixtures.ts';

const DAY = 86_400_000;
const REGISTER = path.join(import.meta.dirname, '../../fixtures/registers/eba-psd2-register.json');
const fetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 2000 });

describe('the eIDAS adapter: TPPs identified by qualified certificates, trusted lists and registers (postgres)', () => {
  let database: TestDatabase;
  const cache = openTestCache('eidas');
  let trustedLists: TrustedListsApi;
  let eidas: TppDirectory;
  let lotlSigner: ListSigner;
  let germanSigner: ListSigner;
  let qwacCa: TestCa;
  let withdrawnCa: TestCa;
  let sealCa: TestCa;
  let ocsp: { url: string; close(): Promise<void> };
  const revoked = new Set<string>();
  let files: string;

  /** A certificate of `ca` as a PSD2 QWAC (or QSealC) of the German PI of the register fixture. */
  const qualified = async (ca: TestCa, options: { roles?: Psd2Role[]; qcStatement?: boolean; notBefore?: Date; usage?: 'transport' | 'signing' } = {}) => {
    const usage = options.usage ?? 'transport';
    const caIndex = [qwacCa, withdrawnCa, sealCa].indexOf(ca);
    const { certificate } = await issueTestLeaf(ca, {
      subject: new x509.Name([{ C: ['DE'] }, { O: [{ utf8String: 'Zahlungsauslöse GmbH' }] }, { '2.5.4.97': [{ utf8String: 'PSDDE-BAFIN-123456' }] }, { CN: ['zahlung.example'] }]),
      ocspUrl: `${ocsp.url}/${caIndex}`,
      notBefore: options.notBefore,
      extensions: [
        ...(usage === 'transport'
          ? [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]
          : [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)]),
        ...(options.qcStatement === false
          ? []
          : [new x509.Extension(ID_PE_QC_STATEMENTS, false, encodePsd2QcStatements({ roles: options.roles ?? ['AISP', 'PISP'], ncaName: 'Bundesanstalt für Finanzdienstleistungsaufsicht', ncaId: 'DE-BAFIN', type: usage === 'transport' ? 'web' : 'eseal' }))]),
      ],
    });
    return certificate;
  };

  before(async () => {
    database = await openTestDatabase('postgres');
    [lotlSigner, germanSigner] = await Promise.all([createListSigner('EU LOTL signer'), createListSigner('DE TL signer')]);
    [qwacCa, withdrawnCa, sealCa] = await Promise.all([createTestCa('DE QWAC CA', { notBefore: new Date(Date.now() - 500 * DAY) }), createTestCa('DE Former QWAC CA', { notBefore: new Date(Date.now() - 500 * DAY) }), createTestCa('DE Seal CA')]);
    ocsp = await startOcspResponder([qwacCa, withdrawnCa, sealCa], revoked);
    files = await mkdtemp(path.join(tmpdir(), 'portico-trusted-lists-'));
    await writeFile(path.join(files, 'eu-lotl.xml'), signList(listOfTrustedListsXml([{ territory: 'DE', location: 'https://tl.example/TL-DE.xml', signerPems: [germanSigner.certificatePem] }]), lotlSigner));
    const granted = new Date(Date.now() - 400 * DAY);
    await writeFile(
      path.join(files, 'TL-DE.xml'),
      signList(
        nationalListXml(
          'DE',
          [
            { provider: 'Qualified Trust GmbH', name: 'QWAC CA', certificatePem: qwacCa.certificate.toString('pem'), uses: ['QWAC'], statuses: [{ status: 'granted', from: granted }] },
            { provider: 'Former Trust AG', name: 'Former QWAC CA', certificatePem: withdrawnCa.certificate.toString('pem'), uses: ['QWAC'], statuses: [{ status: 'granted', from: granted }, { status: 'withdrawn', from: new Date(Date.now() - 10 * DAY) }] },
            { provider: 'Qualified Trust GmbH', name: 'Seal CA', certificatePem: sealCa.certificate.toString('pem'), uses: ['QSealC'], statuses: [{ status: 'granted', from: granted }] },
          ],
          7,
        ),
        germanSigner,
      ),
    );
    trustedLists = createTrustedListsModule({ db: database.db, cache });
    eidas = createEidasDirectory({ trustedLists, revocation: new RevocationChecker({ fetch, cache: new MemoryCache(), policy: { mode: 'fail-closed', maxStalenessSeconds: 0, recheckSeconds: 0 } }) });
  });
  after(async () => {
    await ocsp?.close();
    await cache.close();
    await database?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  it('imports the LOTL and the national lists it points at from files (an air-gapped bank), and refuses a forged LOTL', async () => {
    const outcomes = await trustedLists.importLists(fileTrustedListSource(path.join(files, 'eu-lotl.xml'), files), [lotlSigner.certificatePem]);
    assert.deepEqual(outcomes, [{ territory: 'DE', outcome: 'imported', sequenceNumber: 7, services: 3 }]);
    const [held] = await trustedLists.heldLists();
    assert.deepEqual([held?.territory, held?.sequenceNumber, held?.serviceCount, held?.source], ['DE', 7, 3, 'https://tl.example/TL-DE.xml']);
    const again = await trustedLists.importLists(fileTrustedListSource(path.join(files, 'eu-lotl.xml'), files), [lotlSigner.certificatePem]);
    assert.equal(again[0]?.outcome, 'unchanged');
    await assert.rejects(trustedLists.importLists(fileTrustedListSource(path.join(files, 'eu-lotl.xml'), files), [germanSigner.certificatePem]), /does not verify/);
  });

  it('attack: a replayed older national list (its CA not yet withdrawn) does not replace the one held', async () => {
    const older = signList(nationalListXml('DE', [{ provider: 'Former Trust AG', name: 'Former QWAC CA', certificatePem: withdrawnCa.certificate.toString('pem'), uses: ['QWAC'], statuses: [{ status: 'granted', from: new Date(Date.now() - 400 * DAY) }] }], 6), germanSigner);
    const replay = path.join(files, 'replay');
    await rm(replay, { recursive: true, force: true });
    await writeFile(path.join(files, 'TL-DE-older.xml'), older);
    const source = { ...fileTrustedListSource(path.join(files, 'eu-lotl.xml'), files), readList: () => readFile(path.join(files, 'TL-DE-older.xml'), 'utf8') };
    const [outcome] = await trustedLists.importLists(source, [lotlSigner.certificatePem]);
    assert.deepEqual(outcome, { territory: 'DE', outcome: 'refused', sequenceNumber: 6, problem: 'sequence 6 is older than the list held (7)' });
  });

  it('accepts a QWAC of a qualified CA granted at issuance, unrevoked, with the QCStatement; the organisation is its organizationIdentifier', async () => {
    const trace = new TrustTrace();
    const verdict = await eidas.validateCertificate(await qualified(qwacCa), { trace });
    assertAccepted(verdict);
    assert.deepEqual(verdict.organisation, { id: 'PSDDE-BAFIN-123456', legalName: 'Zahlungsauslöse GmbH', organizationIdentifier: 'PSDDE-BAFIN-123456', roles: ['AISP', 'PISP'], status: 'Active' });
    assert.deepEqual(trace.steps.map((step) => step.check), ['certificate', 'trusted list', 'chain', 'validity', 'key usage', 'revocation of zahlung.example', 'PSD2 QCStatement', 'organizationIdentifier', 'roles']);
    assert.match(trace.steps[1]!.detail, /^DE trusted list: Qualified Trust GmbH \/ QWAC CA, granted at issuance/);
  });

  it('attack: a QWAC whose CA was withdrawn from the trusted list before it was issued is refused; one issued while the CA was granted is not', async () => {
    assertRejected(await eidas.validateCertificate(await qualified(withdrawnCa, { notBefore: new Date(Date.now() - 5 * DAY) })), DirectoryErrors.ISSUER_NOT_QUALIFIED_AT_ISSUANCE);
    assertAccepted(await eidas.validateCertificate(await qualified(withdrawnCa, { notBefore: new Date(Date.now() - 20 * DAY) })));
  });

  it('attack: a certificate from a CA in no trusted list, or a QWAC from a CA qualified only for seals, is refused', async () => {
    assertRejected(await eidas.validateCertificate(await qualified(await createTestCa('DE QWAC CA'))), DirectoryErrors.CERTIFICATE_UNTRUSTED);
    assertRejected(await eidas.validateCertificate(await qualified(sealCa)), DirectoryErrors.CERTIFICATE_NOT_QUALIFIED_FOR_USE);
    assertAccepted(await eidas.validateCertificate(await qualified(sealCa, { usage: 'signing' }), { usage: 'signing' }));
  });

  it('attack: a certificate without the PSD2 QCStatement, and one revoked (OCSP), are refused', async () => {
    assertRejected(await eidas.validateCertificate(await qualified(qwacCa, { qcStatement: false })), DirectoryErrors.QC_STATEMENT_MISSING);
    const certificate = await qualified(qwacCa);
    revoked.add(certificate.serialNumber.toLowerCase());
    assertRejected(await eidas.validateCertificate(certificate), DirectoryErrors.CERTIFICATE_REVOKED);
  });

  it('attack: TPP authorised in another country without passporting — the registers decide the roles in the bank country', async () => {
    const registers = createRegistersModule({ db: database.db, cache });
    await registers.synchronise({ register: 'EBA', source: 'fixture', entities: parseEbaRegister(await readFile(REGISTER, 'utf8')).entities });
    const certificate = await qualified(qwacCa);
    const inGermany = await registers.withRegisterChecks(eidas, 'DE').validateCertificate(certificate);
    assertAccepted(inGermany);
    assert.deepEqual(inGermany.roles, ['AISP', 'PISP']);
    const inFrance = await registers.withRegisterChecks(eidas, 'FR').validateCertificate(certificate);
    assertAccepted(inFrance);
    assert.deepEqual(inFrance.roles, ['AISP'], 'passported to France for AIS only');
    assertRejected(await registers.withRegisterChecks(eidas, 'NL').validateCertificate(certificate), DirectoryErrors.REGISTER_NOT_PASSPORTED);
  });
});
