import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { createRegistersModule } from '../../src/modules/directory/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { createHttpsFetch } from '../../src/platform/https-client/index.ts';
import { synchroniseConfiguredRegister } from '../../src/app/register-sync.ts';
import { signBgRequest } from '../support/bg-http-signature.ts';
import { prepareAisAccess } from '../support/direct-ais-access.ts';
import { AISP } from '../support/ais-access.ts';
import type { ObError } from '../support/ob-errors.ts';
import { startOcspResponder } from '../support/ocsp-responder.ts';
import { assertMatchesSchema, assertObResponse, bgResponseSchema } from '../support/openapi.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { createTestCa, GERMAN_BANK, issueQsealc, issueQwac, type Psd2Holder, type TestCa, type TestLeaf } from '../support/test-pki.ts';
import { waitFor } from '../support/wait-for.ts';
import { detailedConsent, XS2A, XS2A_REDIRECT_URI } from '../support/xs2a-client.ts';

const PSD2_REGISTER = path.join(import.meta.dirname, '../fixtures/registers/eba-psd2-register.json');
const CREDIT_INSTITUTIONS = path.join(import.meta.dirname, '../fixtures/registers/eba-credit-institutions-register.json');

type CirRecord = { _payload: { EntityCode: string; Properties: Array<Record<string, unknown>> } };

/**
 * A bank acting as a TPP (AIS, PIS) under its banking licence: no PSD2 register lists it, the EBA
 * Credit Institutions Register does. Production shape: SANDBOX=false, DIRECTORY=eidas, both EBA
 * registers, signatures required; the bank is its QWAC and QSealC, on every call, through the UK
 * OB APIs and the Berlin Group ones alike.
 */
describe('a bank as a TPP, trusted through the EBA Credit Institutions Register (SANDBOX=false, DIRECTORY=eidas, REGISTERS=eba,cir, postgres)', () => {
  let app: TestPortico;
  let dir: string;
  let ca: TestCa;
  let ocsp: Awaited<ReturnType<typeof startOcspResponder>>;
  let registersServer: http.Server;
  /** What the Credit Institutions Register's search answers now. */
  let cirAnswer: string;
  let bank: { qwac: TestLeaf; seal: TestLeaf };
  let token: string;
  let iban: string;
  const fetch = createHttpsFetch({ allowPlainHttp: true });

  const certificatesOf = async (holder: Psd2Holder) => ({ qwac: await issueQwac(ca, `${ocsp.url}/0`, holder), seal: await issueQsealc(ca, `${ocsp.url}/0`, holder) });
  const obAccounts = (qwac: TestLeaf) =>
    app.request(`${AISP}/accounts`, { cert: qwac.certificate.toString('pem'), key: qwac.privateKeyPem, headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() } });
  /** POST /v1/consents with the QWAC, signed with the QSealC (NextGenPSD2 v1.3.12 §4 signing). */
  const bgConsent = (tpp: { qwac: TestLeaf; seal: TestLeaf }) => {
    const body = JSON.stringify(detailedConsent([iban]));
    const pathname = `${XS2A}/consents`;
    const headers: Record<string, string> = { 'x-request-id': randomUUID(), 'psu-ip-address': '192.0.2.7', 'content-type': 'application/json', 'tpp-redirect-uri': XS2A_REDIRECT_URI };
    Object.assign(headers, signBgRequest({ method: 'POST', url: pathname, headers, body, certificatePem: tpp.seal.certificate.toString('pem'), privateKey: tpp.seal.privateKeyPem }));
    return app.request(pathname, { method: 'POST', headers, body, cert: tpp.qwac.certificate.toString('pem'), key: tpp.qwac.privateKeyPem });
  };
  const bgCode = (response: { json<T>(): T }) => response.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-cir-e2e-'));
    ca = await createTestCa('Qualified Web CA', { notBefore: new Date(Date.now() - 400 * 86_400_000) });
    ocsp = await startOcspResponder([ca], new Set());
    bank = await certificatesOf(GERMAN_BANK);
    await fs.writeFile(path.join(dir, 'qualified-cas.pem'), ca.certificate.toString('pem'));
    const psd2Register = await fs.readFile(PSD2_REGISTER, 'utf8');
    cirAnswer = await fs.readFile(CREDIT_INSTITUTIONS, 'utf8');
    registersServer = http.createServer((request, response) => {
      if (request.url === '/eba/filemetadata') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ golden_copy_path_context: `${base()}/eba/files/`, latest_version_relative_zip_path: 'latest.zip' }));
      if (request.url === '/eba/files/latest.zip') return void response.writeHead(200, { 'content-type': 'application/zip' }).end(zipSync({ 'register.json': new TextEncoder().encode(psd2Register) }));
      if (request.url === '/cir/search' && request.method === 'POST') return void request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(cirAnswer));
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => registersServer.listen(0, '127.0.0.1', resolve));
    const base = () => `http://127.0.0.1:${(registersServer.address() as AddressInfo).port}`;
    app = await startTestPortico(
      'postgres',
      {
        SANDBOX: 'false',
        DIRECTORY: 'eidas',
        REGISTERS: 'eba,cir',
        ASPSP_COUNTRY: 'DE',
        REGISTER_EBA_METADATA_URL: `${base()}/eba/filemetadata`,
        REGISTER_CIR_URL: `${base()}/cir/search`,
        TRUSTED_CA_SET_FILE: path.join(dir, 'qualified-cas.pem'),
        TRUSTED_CA_SET_TERRITORY: 'DE',
        XS2A_REQUEST_SIGNATURES: 'required',
      },
      { beforeListen: (portico) => createSandboxModule({ db: portico.database.db }).seed({ customers: 5, months: 1, seed: 13, asOf: new Date() }).then(() => undefined) },
    );
    // The worker loads the trusted CA set and both registers on its first start.
    const { db } = app.portico.database;
    await waitFor(async () => (await db.selectFrom('trusted_lists').select('territory').execute()).length === 1 && (await db.selectFrom('register_syncs').select('id').execute()).length === 2, 'the trust data loaded on first start');
    token = (await prepareAisAccess(app.portico, bank.qwac.certificate.toString('pem'), 'beispielbank-aisp')).token;
    const psus = await createSandboxModule({ db }).listPsus();
    iban = psus.flatMap((psu) => psu.accounts.filter((account) => account.currency === 'EUR' && account.iban).map((account) => account.iban!))[0]!;
  });
  after(async () => {
    await app?.close();
    await ocsp?.close();
    registersServer?.close();
    await fetch.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('the bank no PSD2 register lists is served on its QWAC: the UK OB read (200), the Berlin Group consent (201)', async () => {
    const read = await obAccounts(bank.qwac);
    assert.equal(read.status, 200, read.text);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, read);
    const consent = await bgConsent(bank);
    assert.equal(consent.status, 201, consent.text);
    assertMatchesSchema(consent.json(), bgResponseSchema('/v1/consents', 'post', 201));
  });

  it('attack: a bank the register lists without its authorisation dates is not trusted on the listing alone (OB 403 U014, BG 401 CERTIFICATE_INVALID)', async () => {
    const undated = await certificatesOf({ ...GERMAN_BANK, name: 'Ohne Datum Bank eG', organizationIdentifier: 'PSDDE-BAFIN-100777', commonName: 'api.ohnedatum.example' });
    const read = await obAccounts(undated.qwac);
    assert.equal(read.status, 403, read.text);
    assert.equal(read.json<ObError>().Errors[0]?.ErrorCode, 'U014');
    assert.match(read.text, /No competent authority register lists the organisation/);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, read);
    const consent = await bgConsent(undated);
    assert.equal(consent.status, 401, consent.text);
    assert.equal(bgCode(consent), 'CERTIFICATE_INVALID');
    assertMatchesSchema(consent.json(), bgResponseSchema('/v1/consents', 'post', 401));
  });

  it('attack: bank withdrawn in the Credit Institutions Register — refused on its next call once the register is synchronised (OB 403 U014, BG 401 CERTIFICATE_BLOCKED)', async () => {
    const records = JSON.parse(cirAnswer) as CirRecord[];
    const entity = records.find((record) => record._payload.EntityCode === '529900BEISPIELBANK01')!._payload;
    entity.Properties = entity.Properties.map((property) => ('ENT_AUT' in property ? { ENT_AUT: ['1998-07-01', '2026-12-01'] } : property));
    cirAnswer = JSON.stringify(records);
    const registers = createRegistersModule({ db: app.portico.database.db, cache: app.portico.cache });
    const { diff } = await synchroniseConfiguredRegister('CIR', { config: app.portico.config, registers, fetch });
    assert.deepEqual(diff?.withdrawn.map((change) => change.organizationIdentifier), ['PSDDE-BAFIN-100099']);
    const read = await obAccounts(bank.qwac);
    assert.equal(read.status, 403, read.text);
    assert.equal(read.json<ObError>().Errors[0]?.ErrorCode, 'U014');
    assert.match(read.text, /authorisation withdrawn/);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, read);
    const consent = await bgConsent(bank);
    assert.equal(consent.status, 401, consent.text);
    assert.equal(bgCode(consent), 'CERTIFICATE_BLOCKED');
    assertMatchesSchema(consent.json(), bgResponseSchema('/v1/consents', 'post', 401));
  });
});
