import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { createSandboxModule } from '../../../src/modules/sandbox/index.ts';
import { signBgRequest } from '../../support/bg-http-signature.ts';
import { startOcspResponder } from '../../support/ocsp-responder.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { createTestCa, issueGermanPiQsealc, issueGermanPiQwac, type TestCa, type TestLeaf } from '../../support/test-pki.ts';
import { waitFor } from '../../support/wait-for.ts';
import { detailedConsent, leastUsedPsu, psuCompletesSca, XS2A, XS2A_REDIRECT_URI, type SandboxPsu } from '../../support/xs2a-client.ts';

const REGISTER = path.join(import.meta.dirname, '../../fixtures/registers/eba-psd2-register.json');

/**
 * The production shape of XS2A identification: SANDBOX=false, DIRECTORY=eidas, the EBA register,
 * signatures required. A German payment institution no one onboarded calls with its QWAC (issued by
 * a CA of a trusted list) and signs with its QSealC: that is all it takes, on every call.
 */
describe('Berlin Group NextGenPSD2 in eIDAS mode (postgres): the TPP is its QWAC and QSealC, nothing else', () => {
  let app: TestPortico;
  let dir: string;
  let ca: TestCa;
  let qwac: TestLeaf;
  let seal: TestLeaf;
  let eba: http.Server;
  let ocsp: Awaited<ReturnType<typeof startOcspResponder>>;
  let psus: Array<{ psu: SandboxPsu; iban: string }>;

  const call = (leaf: TestLeaf, pathname: string, options: { method?: string; body?: unknown; headers?: Record<string, string>; signWith?: TestLeaf } = {}) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const method = options.method ?? (body === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = { 'x-request-id': randomUUID(), 'psu-ip-address': '192.0.2.7', ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers };
    if (options.signWith) Object.assign(headers, signBgRequest({ method, url: pathname, headers, body: body ?? '', certificatePem: options.signWith.certificate.toString('pem'), privateKey: options.signWith.privateKeyPem }));
    return app.request(pathname, { method, headers, ...(body ? { body } : {}), cert: leaf.certificate.toString('pem'), key: leaf.privateKeyPem });
  };
  const codeOf = (response: { json<T>(): T }) => response.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-xs2a-eidas-'));
    ca = await createTestCa('Qualified Web CA', { notBefore: new Date(Date.now() - 400 * 86_400_000) });
    ocsp = await startOcspResponder([ca], new Set());
    qwac = await issueGermanPiQwac(ca, `${ocsp.url}/0`);
    seal = await issueGermanPiQsealc(ca, `${ocsp.url}/0`);
    await fs.writeFile(path.join(dir, 'qualified-cas.pem'), ca.certificate.toString('pem'));
    const register = await fs.readFile(REGISTER, 'utf8');
    eba = http.createServer((request, response) => {
      if (request.url === '/filemetadata') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ golden_copy_path_context: `${ebaUrl()}/files/`, latest_version_relative_zip_path: 'latest.zip' }));
      response.writeHead(200, { 'content-type': 'application/zip' }).end(zipSync({ 'register.json': new TextEncoder().encode(register) }));
    });
    await new Promise<void>((resolve) => eba.listen(0, '127.0.0.1', resolve));
    const ebaUrl = () => `http://127.0.0.1:${(eba.address() as AddressInfo).port}`;
    app = await startTestPortico(
      'postgres',
      {
        SANDBOX: 'false',
        DIRECTORY: 'eidas',
        REGISTERS: 'eba',
        ASPSP_COUNTRY: 'DE',
        REGISTER_EBA_METADATA_URL: `${ebaUrl()}/filemetadata`,
        TRUSTED_CA_SET_FILE: path.join(dir, 'qualified-cas.pem'),
        TRUSTED_CA_SET_TERRITORY: 'DE',
        XS2A_REQUEST_SIGNATURES: 'required',
      },
      { beforeListen: (portico) => createSandboxModule({ db: portico.database.db }).seed({ customers: 5, months: 1, seed: 11, asOf: new Date() }).then(() => undefined) },
    );
    const { db } = app.portico.database;
    await waitFor(async () => (await db.selectFrom('trusted_lists').select('territory').execute()).length === 1 && (await db.selectFrom('register_syncs').select('id').execute()).length === 1, 'the trust data loaded on first start');
    // No sandbox routes in this mode: the PSUs are read from the module.
    const listed = await createSandboxModule({ db }).listPsus();
    psus = listed.flatMap((psu) => psu.accounts.filter((a) => a.currency === 'EUR' && a.iban).slice(0, 1).map((a) => ({ psu: psu as unknown as SandboxPsu, iban: a.iban! })));
  });
  after(async () => {
    await app?.close();
    await ocsp?.close();
    eba?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a consent by QWAC and QSealC alone: created, authorised by the PSU, read', async () => {
    const { psu, iban } = leastUsedPsu(psus);
    const created = await call(qwac, `${XS2A}/consents`, { body: detailedConsent([iban]), signWith: seal, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
    assert.equal(created.status, 201, created.text);
    const { consentId, _links } = created.json<{ consentId: string; _links: Record<string, { href: string }> }>();
    assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
    const accounts = await call(qwac, `${XS2A}/accounts`, { signWith: seal, headers: { 'consent-id': consentId } });
    assert.equal(accounts.status, 200, accounts.text);
    assert.deepEqual(accounts.json<{ accounts: Array<{ iban: string }> }>().accounts.map((a) => a.iban), [iban]);
  });

  it('attack: the same request unsigned is 401 SIGNATURE_MISSING; signed by the QWAC key instead of a seal, 401', async () => {
    const { iban } = psus[0]!;
    const unsigned = await call(qwac, `${XS2A}/consents`, { body: detailedConsent([iban]), headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
    assert.equal(unsigned.status, 401, unsigned.text);
    assert.equal(codeOf(unsigned), 'SIGNATURE_MISSING');
    const webSigned = await call(qwac, `${XS2A}/consents`, { body: detailedConsent([iban]), signWith: qwac, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
    assert.equal(webSigned.status, 401, webSigned.text);
  });

  it('attack: a QWAC of a CA in no trusted list is 401 CERTIFICATE_INVALID; the QWAC without the CBPII role cannot ask for funds (401 ROLE_INVALID)', async () => {
    const impostor = await issueGermanPiQwac(await createTestCa('Qualified Web CA'), `${ocsp.url}/0`);
    const refused = await call(impostor, `${XS2A}/consents`, { body: detailedConsent([psus[0]!.iban]), signWith: seal, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
    assert.equal(refused.status, 401, refused.text);
    assert.match(codeOf(refused), /^CERTIFICATE_/);
    const piis = await call(qwac, '/berlin-group/v2/consents/confirmation-of-funds', { body: { account: { iban: psus[0]!.iban } }, signWith: seal, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
    assert.equal(piis.status, 401, piis.text);
    assert.equal(codeOf(piis), 'ROLE_INVALID');
  });
});
