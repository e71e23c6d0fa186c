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
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { startOcspResponder } from '../support/ocsp-responder.ts';
import { createTestCa, issueGermanPiQwac, issueQsealc, type TestCa, type TestLeaf } from '../support/test-pki.ts';
import { prepareAisAccess } from '../support/direct-ais-access.ts';
import { importPKCS8, SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { authoriseInChromium } from '../support/chromium-consent.ts';
import { registrationClaims } from '../support/ob-dcr-client.ts';
import { TppClient } from '../support/tpp-client.ts';
import { issueGermanPiQsealc } from '../support/test-pki.ts';
import { waitFor } from '../support/wait-for.ts';
import type { ObError } from '../support/ob-errors.ts';

const REGISTER = path.join(import.meta.dirname, '../fixtures/registers/eba-psd2-register.json');

describe('eIDAS mode (SANDBOX=false, DIRECTORY=eidas, REGISTERS=eba, postgres): a TPP identified by its QWAC on every call', () => {
  let app: TestPortico;
  let dir: string;
  let ca: TestCa;
  let qwac: TestLeaf;
  let token: string;
  let register: string;
  let eba: http.Server;
  let ocsp: Awaited<ReturnType<typeof startOcspResponder>>;
  const fetch = createHttpsFetch({ allowPlainHttp: true });
  let browser: Browser;

  /** OB DCR v3.4 without a software statement: signed with the QSealC, its certificate in x5c. */
  const registerWithSeal = async (transport: TestLeaf, seal: TestLeaf, softwareId = 'zahlung-app') => {
    const tpp = { organisationId: 'PSDDE-BAFIN-123456', softwareId, softwareStatement: '', transport: { certificatePem: transport.certificate.toString('pem'), privateKeyPem: transport.privateKeyPem } };
    const claims = registrationClaims(app, { ...tpp, signing: { certificatePem: '', privateKeyPem: '', kid: '' } }, { software_statement: undefined, software_id: softwareId, scope: 'openid accounts' });
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'PS256', kid: 'seal-1', typ: 'JWT', x5c: [seal.certificate.toString('base64')] })
      .sign(await importPKCS8(seal.privateKeyPem, 'PS256'));
    return app.request('/register', { method: 'POST', headers: { 'content-type': 'application/jose' }, body: jwt, cert: tpp.transport.certificatePem, key: tpp.transport.privateKeyPem });
  };

  /** A QWAC of the register fixture's German payment institution, issued by `issuer`. */
  const qwacOf = (issuer: TestCa) => issueGermanPiQwac(issuer, `${ocsp.url}/0`);
  const accounts = (leaf: TestLeaf) =>
    app.request('/open-banking/v4.0/aisp/accounts', {
      cert: leaf.certificate.toString('pem'),
      key: leaf.privateKeyPem,
      headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() },
    });

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-eidas-e2e-'));
    ca = await createTestCa('Qualified Web CA', { notBefore: new Date(Date.now() - 400 * 86_400_000) });
    ocsp = await startOcspResponder([ca], new Set());
    qwac = await qwacOf(ca);
    await fs.writeFile(path.join(dir, 'qualified-cas.pem'), ca.certificate.toString('pem'));
    register = await fs.readFile(REGISTER, 'utf8');
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
      },
      { beforeListen: (portico) => createSandboxModule({ db: portico.database.db }).seed({ customers: 5, months: 1, seed: 11, asOf: new Date() }).then(() => undefined) },
    );
    // The worker loads the trusted CA set and the register on its first start.
    const { db } = app.portico.database;
    await waitFor(async () => (await db.selectFrom('trusted_lists').select('territory').execute()).length === 1 && (await db.selectFrom('register_syncs').select('id').execute()).length === 1, 'the trust data loaded on first start');
    token = (await prepareAisAccess(app.portico, qwac.certificate.toString('pem'))).token;
    browser = await launchBrowser(app.portico.tls.certPem);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await ocsp?.close();
    eba?.close();
    await fetch.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves the TPP whose QWAC chains to a CA the handshake does not know but the trusted lists do', async () => {
    const response = await accounts(qwac);
    assert.equal(response.status, 200, response.text);
    assert.equal(response.json<{ Data: { Account: unknown[] } }>().Data.Account.length, 1);
  });

  it('attack: a certificate with the same names from a CA in no trusted list is refused (401)', async () => {
    const impostor = await qwacOf(await createTestCa('Qualified Web CA'));
    const response = await accounts(impostor);
    assert.equal(response.status, 401, response.text);
    assert.equal(response.json<ObError & { Errors: Array<{ Message: string }> }>().Errors[0]!.Message, 'The client certificate does not chain to a trusted QTSP');
  });

  it('registers by DCR with its QSealC instead of a software statement, the PSU authorises in Chromium, the TPP reads', async () => {
    const seal = await issueGermanPiQsealc(ca, `${ocsp.url}/0`);
    const registered = await registerWithSeal(qwac, seal);
    assert.equal(registered.status, 201, registered.text);
    const client = registered.json<{ client_id: string; software_id: string; scope: string; jwks?: unknown }>();
    assert.deepEqual([client.software_id, client.scope], ['zahlung-app', 'openid accounts']);
    const tpp = new TppClient(app, {
      organisationId: 'PSDDE-BAFIN-123456',
      softwareId: 'zahlung-app',
      softwareStatement: '',
      transport: { certificatePem: qwac.certificate.toString('pem'), privateKeyPem: qwac.privateKeyPem },
      signing: { certificatePem: seal.certificate.toString('pem'), privateKeyPem: seal.privateKeyPem, kid: 'seal-1' },
    });
    tpp.clientId = client.client_id;
    const consentId = await tpp.createAccountAccessConsent(['ReadAccountsDetail']);
    const [psu] = await createSandboxModule({ db: app.portico.database.db }).listPsus();
    const accessToken = await authoriseInChromium(browser, tpp, consentId, psu!);
    const read = await tpp.mtls('/open-banking/v4.0/aisp/accounts', { headers: { authorization: `Bearer ${accessToken}`, 'x-fapi-interaction-id': randomUUID() } });
    assert.equal(read.status, 200, read.text);
  });

  it("attack: a registration without a software statement signed with another organisation's seal, or with no seal, is refused", async () => {
    const foreignSeal = await issueQsealc(ca, `${ocsp.url}/0`, { country: 'FR', name: 'Autre SAS', organizationIdentifier: 'PSDFR-ACPR-16598', commonName: 'autre.example', roles: ['AISP'], nca: { name: 'ACPR', id: 'FR-ACPR' } });
    // The seal of an organisation the register withdrew: refused before it could stand for anyone.
    const foreign = await registerWithSeal(qwac, foreignSeal, 'stolen-app');
    assert.equal(foreign.status, 403, foreign.text);
    assert.match(foreign.text, /authorisation withdrawn/);
    // The seal of another organisation the register authorises in Germany: not this TPP's.
    const document = JSON.parse(register) as [unknown, Array<Record<string, unknown>>];
    document[1].push({
      CA_OwnerID: 'DE_BAFIN',
      EntityCode: 'PSD_PI!DE_BAFIN!777777',
      EntityType: 'PSD_PI',
      Properties: [{ ENT_NAT_REF_COD: '777777' }, { ENT_NAM: 'Nachbar Zahlungen AG' }, { ENT_COU_RES: 'DE' }, { ENT_AUT: ['2020-01-01'] }],
      Services: [{ DE: ['PS_070', 'PS_080'] }],
    });
    register = JSON.stringify(document);
    await synchroniseConfiguredRegister('EBA', { config: app.portico.config, registers: createRegistersModule({ db: app.portico.database.db, cache: app.portico.cache }), fetch });
    const neighbourSeal = await issueQsealc(ca, `${ocsp.url}/0`, {
      country: 'DE',
      name: 'Nachbar Zahlungen AG',
      organizationIdentifier: 'PSDDE-BAFIN-777777',
      commonName: 'nachbar.example',
      roles: ['AISP', 'PISP'],
      nca: { name: 'BaFin', id: 'DE-BAFIN' },
    });
    const neighbour = await registerWithSeal(qwac, neighbourSeal, 'neighbour-app');
    assert.equal(neighbour.status, 403, neighbour.text);
    assert.match(neighbour.text, /belongs to another organisation/);
    const unsealed = await app.request('/register', {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: await new SignJWT(registrationClaims(app, { organisationId: 'x', softwareId: 'bare', softwareStatement: '', transport: { certificatePem: qwac.certificate.toString('pem'), privateKeyPem: qwac.privateKeyPem }, signing: { certificatePem: '', privateKeyPem: '', kid: '' } }, { software_statement: undefined, software_id: 'bare' }))
        .setProtectedHeader({ alg: 'PS256', kid: 'k' })
        .sign(await importPKCS8((await issueGermanPiQsealc(ca, `${ocsp.url}/0`)).privateKeyPem, 'PS256')),
      cert: qwac.certificate.toString('pem'),
      key: qwac.privateKeyPem,
    });
    assert.equal(unsealed.status, 400, unsealed.text);
    assert.equal(unsealed.json<{ error: string }>().error, 'invalid_software_statement');
  });

  it('attack: TPP withdrawn in the register — refused on its next call once the register is synchronised', async () => {
    const document = JSON.parse(register) as [unknown, Array<Record<string, unknown>>];
    const pi = document[1].find((entity) => entity['EntityCode'] === 'PSD_PI!DE_BAFIN!123456')!;
    pi['Properties'] = (pi['Properties'] as Array<Record<string, unknown>>).map((property) => ('ENT_AUT' in property ? { ENT_AUT: ['2019-01-15', '2026-12-01'] } : property));
    register = JSON.stringify(document);
    const registers = createRegistersModule({ db: app.portico.database.db, cache: app.portico.cache });
    const { diff } = await synchroniseConfiguredRegister('EBA', { config: app.portico.config, registers, fetch });
    assert.deepEqual(diff?.withdrawn.map((change) => change.organizationIdentifier), ['PSDDE-BAFIN-123456']);
    const response = await accounts(qwac);
    assert.equal(response.status, 403, response.text);
    assert.match(response.text, /authorisation withdrawn/);
  });
});
