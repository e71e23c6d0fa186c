import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../support/backends.ts';
import { DNB_FIXTURE, dnbRegistration, startDnbRegisterApi } from '../support/dnb-register-api.ts';
import { runPortico } from '../support/run-portico.ts';

const FIXTURE = path.join(import.meta.dirname, '../fixtures/registers/eba-psd2-register.json');
const CIR_FIXTURE = path.join(import.meta.dirname, '../fixtures/registers/eba-credit-institutions-register.json');

describe('portico registers (PostgreSQL)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: http.Server;
  /** What the EBA publishes now (the register JSON) and the FCA firms it knows. */
  let ebaRegister: string;
  /** What the EBA Credit Institutions Register's search answers now. */
  let cirRegister: string;
  let dnb: Awaited<ReturnType<typeof startDnbRegisterApi>>;
  const fcaFirms = new Map<string, { name: string; status: string }>([['123456', { name: 'Initiate Ltd', status: 'Authorised' }]]);

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    ebaRegister = await fs.readFile(FIXTURE, 'utf8');
    cirRegister = await fs.readFile(CIR_FIXTURE, 'utf8');
    server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      const json = (body: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/eba/filemetadata') return json({ golden_copy_path_context: `${base()}/eba/files/`, latest_version_relative_zip_path: 'latest.zip' });
      if (url.pathname === '/cir/search/entities' && request.method === 'POST') return response.writeHead(200, { 'content-type': 'application/json' }).end(cirRegister);
      if (url.pathname === '/eba/files/latest.zip') return response.writeHead(200, { 'content-type': 'application/zip' }).end(zipSync({ 'register.json': new TextEncoder().encode(ebaRegister) }));
      const firm = /^\/fca\/Firm\/(\d+)(\/Permissions)?$/.exec(url.pathname);
      const known = firm && fcaFirms.get(firm[1]!);
      if (firm && !firm[2]) return json(known ? { Status: 'FSR-API-02-01-00', Data: [{ FRN: firm[1], 'Organisation Name': known.name, Status: known.status }] } : { Status: 'FSR-API-02-01-21' });
      if (firm) return json({ Status: 'FSR-API-02-03-00', Data: { 'Account Information Services': [{}] } });
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dnb = await startDnbRegisterApi();
    const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = {
      DATABASE_URL: database.url!,
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), 'portico-registers-')),
      SANDBOX: 'false',
      REGISTERS: 'eba,fca,cir,dnb',
      ASPSP_COUNTRY: 'DE',
      REGISTER_DNB_API_URL: dnb.apiUrl,
      REGISTER_DNB_API_KEY: dnb.key,
      REGISTER_EBA_METADATA_URL: `${base()}/eba/filemetadata`,
      REGISTER_FCA_API_URL: `${base()}/fca`,
      REGISTER_CIR_URL: `${base()}/cir/search/entities`,
      REGISTER_FCA_API_EMAIL: 'ops@bank.example',
      REGISTER_FCA_API_KEY: 'test-key',
    };
  });
  after(async () => {
    server?.close();
    await dnb?.close();
    await database?.close();
  });

  it('imports the EBA register from a file, reporting what it added and what it skipped', async () => {
    const run = await runPortico(['registers', 'import', FIXTURE], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        'EBA register: 4 entities; 4 added, 0 withdrawn, 0 changed, 0 unchanged',
        'Added:',
        '  PSDDE-BAFIN-123456  Zahlungsauslöse GmbH  (PSD_PI!DE_BAFIN!123456)',
        '  PSDNL-DNB-R170001  Rekening Inzicht B.V.  (PSD_AISP!NL_DNB!R170001)',
        '  PSDFR-ACPR-16598  Paiement Retiré SAS  (PSD_PI!FR_ACPR!16598)',
        '  PSDFI-FINFSA-0111027-9  Maksu Oy  (PSD_EMI!FI_FIN-FSA!0111027-9)',
        '',
      ].join('\n'),
    );
    assert.match(run.stderr, /1 malformed entries skipped, first: entry 6: EntityCode/);
    assert.match(run.stderr, /saving\s+\[/, 'a progress bar on stderr');
  });

  it('synchronises the EBA register from its publisher and names the withdrawals', async () => {
    const document = JSON.parse(ebaRegister) as [unknown, Array<Record<string, unknown>>];
    document[1] = document[1].filter((entity) => entity['EntityCode'] !== 'PSD_AISP!NL_DNB!R170001');
    ebaRegister = JSON.stringify(document);
    const run = await runPortico(['registers', 'sync', '--register', 'eba'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, ['EBA register: 3 entities; 0 added, 1 withdrawn, 0 changed, 3 unchanged', 'Withdrawn:', '  PSDNL-DNB-R170001  Rekening Inzicht B.V.  (PSD_AISP!NL_DNB!R170001)', ''].join('\n'));
  });

  it('holds the FCA firms it is told of, and reports the ones the FCA does not know', async () => {
    const run = await runPortico(['registers', 'sync', '--register', 'fca', '--frn', '123456,777777'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, ['FCA register: 1 entity; 1 added, 0 withdrawn, 0 changed, 0 unchanged', 'Added:', '  PSDGB-FCA-123456  Initiate Ltd  (123456)', ''].join('\n'));
    assert.match(run.stderr, /FCA: not in the FCA register: 777777/);
    fcaFirms.set('123456', { name: 'Initiate Ltd', status: 'No longer authorised' });
    const again = await runPortico(['registers', 'sync', '--register', 'fca'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^FCA register: 1 entity; 0 added, 1 withdrawn, 0 changed, 0 unchanged\nWithdrawn:\n {2}PSDGB-FCA-123456 /);
  });

  it('lists the synchronisations, newest first', async () => {
    const run = await runPortico(['registers', 'status'], env);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /^\S+Z {2}FCA {2}1 entity {2}\+0 -1 ~0 {2}from http:\/\/127\.0\.0\.1:\d+\/fca$/);
    assert.match(lines[3]!, /^\S+Z {2}EBA {2}4 entities {2}\+4 -0 ~0 {2}from .*eba-psd2-register\.json$/);
  });

  it('imports the EBA Credit Institutions Register from a file: banks with their identifiers, and what it could not read', async () => {
    const run = await runPortico(['registers', 'import', '--register', 'cir', CIR_FIXTURE], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        'CIR register: 3 entities; 3 added, 0 withdrawn, 0 changed, 0 unchanged',
        'Added:',
        '  PSDDE-BAFIN-100099  Beispielbank AG  (529900BEISPIELBANK01)',
        '  PSDNL-DNB-B0456  Ander Bank N.V.  (7245000ANDERBANK0001)',
        '  PSDIE-CBI-C88888  Example Trust Company, Dublin Branch  (IE_CBI!C88888)',
        '',
      ].join('\n'),
    );
    assert.match(run.stderr, /2 malformed entries skipped, first: 529900OHNEDATUMBANK0: ENT_AUT is required/);
  });

  it('synchronises the Credit Institutions Register from its search and names the bank it withdrew', async () => {
    const records = JSON.parse(cirRegister) as Array<{ _payload: { EntityCode: string; Properties: Array<Record<string, unknown>> } }>;
    const bank = records.find((record) => record._payload.EntityCode === '529900BEISPIELBANK01')!._payload;
    bank.Properties = bank.Properties.map((property) => ('ENT_AUT' in property ? { ENT_AUT: ['1998-07-01', '2026-12-01'] } : property));
    cirRegister = JSON.stringify(records);
    const run = await runPortico(['registers', 'sync', '--register', 'cir'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, ['CIR register: 3 entities; 0 added, 1 withdrawn, 0 changed, 2 unchanged', 'Withdrawn:', '  PSDDE-BAFIN-100099  Beispielbank AG  (529900BEISPIELBANK01)', ''].join('\n'));
    cirRegister = '[]';
    const empty = await runPortico(['registers', 'sync', '--register', 'cir'], env);
    assert.equal(empty.code, 1, 'an answer without banks is an error, not 3 withdrawals');
    assert.match(empty.stderr, /^portico: cannot synchronise the CIR register, nothing was changed: .*lists no credit institution/m);
  });

  it('imports DNB publications from a file: Dutch institutions with their identifiers, and what it could not read', async () => {
    const run = await runPortico(['registers', 'import', '--register', 'dnb', DNB_FIXTURE], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        'DNB register: 5 entities; 5 added, 0 withdrawn, 0 changed, 0 unchanged',
        'Added:',
        '  PSDNL-DNB-R180001  Initiatie Betalingen B.V.  (R180001)',
        '  PSDNL-DNB-R180002  Rekeninginzicht B.V.  (R180002)',
        '  PSDNL-DNB-R180003  Oud Betaal B.V.  (R180003)',
        '  PSDNL-DNB-R180004  Failliet Inzicht B.V.  (R180004)',
        '  PSDNL-DNB-R180010  E-Geld Nederland B.V.  (R180010)',
        '',
      ].join('\n'),
    );
    assert.match(run.stderr, /1 malformed entries skipped, first: WFTBI organisation 6: relationNumber/);
    assert.match(run.stderr, /saving\s+\[/, 'a progress bar on stderr');
  });

  it('attack: a DNB export that is not the format is refused with one line, and changes nothing', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-dnb-bad-'));
    try {
      const bad = path.join(dir, 'dnb.json');
      await fs.writeFile(bad, JSON.stringify({ errorMessage: "The register code 'WFTXX' is not valid." }));
      const before = await runPortico(['registers', 'status'], env);
      const run = await runPortico(['registers', 'import', '--register', 'dnb', bad], env);
      assert.deepEqual([run.code, run.stdout], [1, '']);
      assert.match(run.stderr, /^portico: cannot import .*dnb\.json: the DNB public register publication is not its format: page 1 has no registerCode$/m);
      await fs.writeFile(bad, '[{"registerCode":"WFTBI","organizations":[]}]');
      const empty = await runPortico(['registers', 'import', '--register', 'dnb', bad], env);
      assert.equal(empty.code, 1, 'a publication without organisations is an error, not 5 withdrawals');
      assert.match(empty.stderr, /lists no organisation: nothing is changed/);
      assert.equal((await runPortico(['registers', 'status'], env)).stdout, before.stdout, 'no synchronisation recorded');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('synchronises the DNB register from its API, page by page, and names the institution whose licence ended', async () => {
    dnb.change((publications) => {
      dnbRegistration(publications, 'R180001', 'NL')['validityPeriodEndDate'] = '2026-12-01T00:00:00';
    });
    const run = await runPortico(['registers', 'sync', '--register', 'dnb'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, ['DNB register: 5 entities; 0 added, 1 withdrawn, 0 changed, 4 unchanged', 'Withdrawn:', '  PSDNL-DNB-R180001  Initiatie Betalingen B.V.  (R180001)', ''].join('\n'));
    assert.match(run.stderr, /downloading WFTBI\s+\[/, 'a progress bar per register');
    dnb.state.failWith = 503;
    const failed = await runPortico(['registers', 'sync', '--register', 'dnb'], env);
    dnb.state.failWith = undefined;
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^portico: cannot synchronise the DNB register, nothing was changed: the DNB public register API answered HTTP 503 for WFTBI page 1$/m);
  });

  it('answers bad arguments with one line and exit code 2', async () => {
    const register = await runPortico(['registers', 'sync', '--register', 'acpr'], env);
    assert.deepEqual([register.code, register.stderr], [2, 'portico: --register must be one of eba, fca, cir, dnb (got "acpr")\n']);
    const importFca = await runPortico(['registers', 'import', '--register', 'fca', FIXTURE], env);
    assert.deepEqual([importFca.code, importFca.stderr], [2, 'portico: --register must be eba, cir or dnb for a file (got "fca")\n']);
    const frn = await runPortico(['registers', 'sync', '--frn', 'FRN1'], env);
    assert.deepEqual([frn.code, frn.stderr], [2, 'portico: --frn takes Firm Reference Numbers, comma-separated (got "FRN1")\n']);
    const missing = await runPortico(['registers', 'import'], env);
    assert.equal(missing.code, 2);
  });
});
