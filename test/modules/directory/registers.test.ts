import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { zipSync } from 'fflate';
import {
  createRegistersModule,
  CIR_QUERY,
  DirectoryErrors,
  downloadCreditInstitutionsRegister,
  downloadEbaRegister,
  fetchFcaFirms,
  parseCreditInstitutionsRegister,
  parseEbaRegister,
  readCreditInstitutionsRegisterFile,
  readEbaRegisterFile,
  type RegisterEntity,
  type RegistersApi,
  type TppDirectory,
} from '../../../src/modules/directory/index.ts';
import { createHttpsFetch } from '../../../src/platform/https-client/index.ts';
import { DIALECTS, openTestCache, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { assertAccepted, assertRejected } from './directory-fixtures.ts';

const FIXTURE = path.join(import.meta.dirname, '../../fixtures/registers/eba-psd2-register.json');
const CIR_FIXTURE = path.join(import.meta.dirname, '../../fixtures/registers/eba-credit-institutions-register.json');
const fetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 2000 });

async function fixture(): Promise<string> {
  return readFile(FIXTURE, 'utf8');
}

/** The fixture's entities as the EBA would publish them after some changes. */
async function changedFixture(change: (entities: Array<Record<string, unknown>>) => void): Promise<string> {
  const document = JSON.parse(await fixture()) as [unknown, Array<Record<string, unknown>>];
  change(document[1]);
  return JSON.stringify(document);
}

async function cirFixture(): Promise<string> {
  return readFile(CIR_FIXTURE, 'utf8');
}

type CirRecord = { _payload: Record<string, unknown> & { Properties: Array<Record<string, unknown>> } };

/** The Credit Institutions Register's answer after some changes. */
async function changedCir(change: (records: CirRecord[]) => void): Promise<string> {
  const records = JSON.parse(await cirFixture()) as CirRecord[];
  change(records);
  return JSON.stringify(records);
}

const cirRecord = (records: CirRecord[], code: string) => records.find((record) => record._payload['EntityCode'] === code)!._payload;
const withProperty = (properties: Array<Record<string, unknown>>, name: string, value: unknown) => [...properties.filter((property) => !(name in property)), { [name]: value }];

async function serve(routes: Record<string, (request: http.IncomingMessage) => { status?: number; type?: string; body: string | Uint8Array }>): Promise<{ url: string; close(): Promise<void>; requests: http.IncomingMessage[] }> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request);
    const route = routes[new URL(request.url ?? '/', 'http://x').pathname];
    if (!route) return void response.writeHead(404).end();
    const answer = route(request);
    response.writeHead(answer.status ?? 200, { 'content-type': answer.type ?? 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the EBA PSD2 register file', () => {
  it('reads institutions with their PSD2 identifier, authorisation and TPP services per country; skips agents and non-TPPs; names malformed entries', async () => {
    const parsed = parseEbaRegister(await fixture());
    const byCode = new Map(parsed.entities.map((entity) => [entity.entityCode, entity]));
    assert.deepEqual(byCode.get('PSD_PI!DE_BAFIN!123456'), {
      register: 'EBA',
      entityCode: 'PSD_PI!DE_BAFIN!123456',
      organizationIdentifier: 'PSDDE-BAFIN-123456',
      name: 'Zahlungsauslöse GmbH',
      entityType: 'PSD_PI',
      homeCountry: 'DE',
      authorised: true,
      authorisedFrom: '2019-01-15',
      withdrawnOn: undefined,
      services: { DE: ['AISP', 'PISP'], FR: ['AISP'] },
    } satisfies RegisterEntity);
    assert.deepEqual(
      [...byCode.values()].map((entity) => [entity.organizationIdentifier, entity.authorised, entity.withdrawnOn ?? null]),
      [
        ['PSDDE-BAFIN-123456', true, null],
        ['PSDNL-DNB-R170001', true, null],
        ['PSDFR-ACPR-16598', false, '2023-07-31'],
        ['PSDFI-FINFSA-0111027-9', true, null],
      ],
    );
    assert.deepEqual(byCode.get('PSD_EMI!FI_FIN-FSA!0111027-9')?.services, { FI: ['AISP', 'CBPII'], SE: ['AISP'] });
    assert.equal(byCode.get('PSD_EMI!FI_FIN-FSA!0111027-9')?.name, 'Maksu Oy');
    assert.equal(parsed.ignored, 2, 'the agent and the institution offering no TPP service');
    assert.deepEqual(parsed.malformed, ['entry 6: EntityCode Invalid input: expected string, received undefined']);
  });

  it('reads the ZIP the EBA publishes, and refuses a file that is not the format', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'portico-register-'));
    try {
      const zipped = path.join(directory, 'register.zip');
      await writeFile(zipped, zipSync({ 'PSD2_register_20261201.json': new TextEncoder().encode(await fixture()) }));
      assert.equal((await readEbaRegisterFile(zipped)).entities.length, 4);
      const notJson = path.join(directory, 'register.json');
      await writeFile(notJson, '{"not":"a register"');
      await assert.rejects(readEbaRegisterFile(notJson), /not JSON/);
      await writeFile(notJson, '{"entities":[]}');
      await assert.rejects(readEbaRegisterFile(notJson), /not the published format/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('downloads the latest file its metadata names', async () => {
    const zip = zipSync({ 'register.json': new TextEncoder().encode(await fixture()) });
    const eba = await serve({
      '/register/api/filemetadata': () => ({ body: JSON.stringify({ golden_copy_path_context: `${eba.url}/register/files`, latest_version_relative_zip_path: 'PSD2/20261201.zip' }) }),
      '/register/files/PSD2/20261201.zip': () => ({ type: 'application/zip', body: zip }),
    });
    try {
      const { parsed, source } = await downloadEbaRegister(fetch, `${eba.url}/register/api/filemetadata`);
      assert.equal(source, `${eba.url}/register/files/PSD2/20261201.zip`);
      assert.equal(parsed.entities.length, 4);
    } finally {
      await eba.close();
    }
  });
});

describe('the EBA Credit Institutions Register', () => {
  it('reads credit institutions with every TPP role at home and where an open EEA branch passports them; third-country branches where they are; names what it cannot read', async () => {
    const parsed = parseCreditInstitutionsRegister(await cirFixture());
    const byCode = new Map(parsed.entities.map((entity) => [entity.entityCode, entity]));
    assert.deepEqual(byCode.get('529900BEISPIELBANK01'), {
      register: 'CIR',
      entityCode: '529900BEISPIELBANK01',
      organizationIdentifier: 'PSDDE-BAFIN-100099',
      name: 'Beispielbank AG',
      entityType: 'CRD_CRE_INS',
      homeCountry: 'DE',
      authorised: true,
      authorisedFrom: '1998-07-01',
      withdrawnOn: undefined,
      services: { DE: ['AISP', 'CBPII', 'PISP'], FR: ['AISP', 'CBPII', 'PISP'] },
    } satisfies RegisterEntity);
    assert.deepEqual(
      parsed.entities.map((entity) => [entity.organizationIdentifier, entity.entityType, entity.authorised, entity.withdrawnOn ?? null, Object.keys(entity.services)]),
      [
        ['PSDDE-BAFIN-100099', 'CRD_CRE_INS', true, null, ['DE', 'FR']],
        ['PSDNL-DNB-B0456', 'CRD_CRE_INS', false, '2025-10-31', ['NL']],
        ['PSDIE-CBI-C88888', 'CRD_NON_EEA_BRA', true, null, ['IE']],
      ],
      'the branch closed in 2022 passports nothing to NL',
    );
    assert.equal(parsed.ignored, 2, 'the closed branch and the PSD2 register record');
    assert.deepEqual(parsed.malformed, [
      '529900OHNEDATUMBANK0: ENT_AUT is required: without it the authorisation cannot be told from a withdrawn one',
      'ES_BE!1999: its credit institution 959800UNLISTEDBANK00 is not listed',
    ]);
  });

  it('reads records that are the entity itself as well as those wrapping it in _payload; a branch may name its bank by LEI', async () => {
    const records = (JSON.parse(await cirFixture()) as CirRecord[]).map((record) => record._payload);
    const bank = records.find((record) => record['EntityCode'] === '529900BEISPIELBANK01')!;
    bank['EntityCode'] = 'DE_BAFIN!100099';
    const parsed = parseCreditInstitutionsRegister(JSON.stringify(records));
    assert.deepEqual(parsed.entities.find((entity) => entity.entityCode === 'DE_BAFIN!100099')?.services, { DE: ['AISP', 'CBPII', 'PISP'], FR: ['AISP', 'CBPII', 'PISP'] });
  });

  it('refuses an answer that is not the register: not JSON, not an array, or no credit institution in it (never read as withdrawals)', async () => {
    assert.throws(() => parseCreditInstitutionsRegister('<html>'), /not JSON/);
    assert.throws(() => parseCreditInstitutionsRegister('{"entities":[]}'), /not its format/);
    assert.throws(() => parseCreditInstitutionsRegister('[]'), /lists no credit institution/);
    const onlyPsd2 = (JSON.parse(await cirFixture()) as CirRecord[]).filter((record) => record._payload['EntityType'] === 'PSD_PI');
    assert.throws(() => parseCreditInstitutionsRegister(JSON.stringify(onlyPsd2)), /lists no credit institution/);
    const directory = await mkdtemp(path.join(tmpdir(), 'portico-cir-'));
    try {
      assert.equal((await readCreditInstitutionsRegisterFile(CIR_FIXTURE)).entities.length, 3);
      const empty = path.join(directory, 'cir.json');
      await writeFile(empty, '[]');
      await assert.rejects(readCreditInstitutionsRegisterFile(empty), /lists no credit institution/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('asks the search for the whole register in one POST, and treats a failed answer as an error', async () => {
    const cirAnswer = await cirFixture();
    const asked: Array<{ method?: string; type?: string; path?: string; body: string }> = [];
    let status = 200;
    const eba = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        asked.push({ method: request.method, type: request.headers['content-type'], path: request.url, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? cirAnswer : '{}');
      });
    });
    await new Promise<void>((resolve) => eba.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(eba.address() as AddressInfo).port}/register/api/search/entities`;
    try {
      const parsed = await downloadCreditInstitutionsRegister(fetch, url);
      assert.equal(parsed.entities.length, 3);
      assert.deepEqual(asked, [{ method: 'POST', type: 'application/json', path: '/register/api/search/entities', body: '{"$and":[{"_messagetype":"EUCLIDMD"}]}' }]);
      assert.deepEqual(JSON.parse(asked[0]!.body), CIR_QUERY);
      status = 503;
      await assert.rejects(downloadCreditInstitutionsRegister(fetch, url), /HTTP 503/);
    } finally {
      await new Promise((resolve) => eba.close(resolve));
    }
  });
});

describe('the FCA register API', () => {
  const firm = (frn: string, name: string, status: string) => ({
    Status: 'FSR-API-02-01-00',
    Message: 'Ok. Firm Found',
    Data: [{ FRN: frn, 'Organisation Name': name, Status: status, 'Business Type': 'Regulated', 'Status Effective Date': '14/02/2019', 'PSD / EMD Status': status === 'Authorised' ? 'Authorised Payment Institution' : 'Cancelled - Authorised PI' }],
  });
  const permissions = { Status: 'FSR-API-02-03-00', Data: { 'Payment Initiation Services': [{ 'Limitation Not Found': ['Valid limitation not present'] }], 'Account Information Services': [{}], 'Money Remittance': [{}] } };

  it('reads firms by FRN with their PSD2 permissions, sending the API credentials; unknown FRNs are reported, not guessed', async () => {
    const fca = await serve({
      '/services/V0.1/Firm/123456': () => ({ body: JSON.stringify(firm('123456', 'Initiate Ltd', 'Authorised')) }),
      '/services/V0.1/Firm/123456/Permissions': () => ({ body: JSON.stringify(permissions) }),
      '/services/V0.1/Firm/654321': () => ({ body: JSON.stringify(firm('654321', 'Former Ltd', 'No longer authorised')) }),
      '/services/V0.1/Firm/654321/Permissions': () => ({ body: JSON.stringify({ Status: 'FSR-API-02-03-21', Message: 'Firm permission not found' }) }),
      '/services/V0.1/Firm/999999': () => ({ body: JSON.stringify({ Status: 'FSR-API-02-01-21', Message: 'ERROR : Account Not Found' }) }),
    });
    try {
      const options = { apiUrl: `${fca.url}/services/V0.1`, email: 'ops@bank.example', key: 'k-123', fetch };
      const { entities, notFound } = await fetchFcaFirms(options, ['123456', '654321', '999999']);
      assert.deepEqual(entities[0], {
        register: 'FCA',
        entityCode: '123456',
        organizationIdentifier: 'PSDGB-FCA-123456',
        name: 'Initiate Ltd',
        entityType: 'Regulated',
        homeCountry: 'GB',
        authorised: true,
        authorisedFrom: '2019-02-14',
        withdrawnOn: undefined,
        services: { GB: ['AISP', 'PISP'] },
      } satisfies RegisterEntity);
      assert.deepEqual([entities[1]?.authorised, entities[1]?.withdrawnOn, entities[1]?.services], [false, '2019-02-14', {}]);
      assert.deepEqual(notFound, ['999999']);
      assert.deepEqual(
        fca.requests.map((request) => [request.headers['x-auth-email'], request.headers['x-auth-key']]),
        Array(5).fill(['ops@bank.example', 'k-123']),
      );
      await assert.rejects(fetchFcaFirms(options, ['12a']), /not a Firm Reference Number/);
    } finally {
      await fca.close();
    }
  });

  it('a register that fails is an error, never a withdrawal', async () => {
    const fca = await serve({ '/services/V0.1/Firm/123456': () => ({ status: 500, body: '{}' }) });
    try {
      await assert.rejects(fetchFcaFirms({ apiUrl: `${fca.url}/services/V0.1`, email: 'e', key: 'k', fetch }, ['123456']), /HTTP 500/);
    } finally {
      await fca.close();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`held registers: synchronisation, diff, events and decisions (${dialect})`, () => {
    let database: TestDatabase;
    const cache = openTestCache('registers');
    let registers: RegistersApi;

    before(async () => {
      database = await openTestDatabase(dialect);
      registers = createRegistersModule({ db: database.db, cache });
    });
    after(async () => {
      await cache.close();
      await database?.close();
    });

    it('adds a new register whole, then finds nothing changed in the same file', async () => {
      const first = await registers.synchronise({ register: 'EBA', source: 'fixture', entities: parseEbaRegister(await fixture()).entities });
      assert.deepEqual(first.counts, { added: 4, withdrawn: 0, changed: 0, unchanged: 0 });
      assert.deepEqual(
        first.added.map((change) => change.organizationIdentifier),
        ['PSDDE-BAFIN-123456', 'PSDNL-DNB-R170001', 'PSDFR-ACPR-16598', 'PSDFI-FINFSA-0111027-9'],
      );
      const again = await registers.synchronise({ register: 'EBA', source: 'fixture', entities: parseEbaRegister(await fixture()).entities });
      assert.deepEqual(again.counts, { added: 0, withdrawn: 0, changed: 0, unchanged: 4 });
    });

    it('decides by the bank country: home authorisation, passporting, not passported, withdrawn, unknown', async () => {
      const roles = async (identifier: string, country: string) => {
        const standing = await registers.standing(identifier, country);
        return standing.status === 'authorised' ? `${standing.basis}:${standing.roles.join('+')}` : standing.status;
      };
      assert.equal(await roles('PSDDE-BAFIN-123456', 'DE'), 'home:AISP+PISP');
      assert.equal(await roles('PSDDE-BAFIN-123456', 'fr'), 'passport:AISP');
      assert.equal(await roles('PSDDE-BAFIN-123456', 'NL'), 'not-in-country', 'money transfer passported to NL makes no TPP role there');
      assert.equal(await roles('PSDFR-ACPR-16598', 'FR'), 'withdrawn');
      assert.equal(await roles('PSDGB-FCA-000000', 'GB'), 'unknown');
    });

    it('reports withdrawals (by ENT_AUT, and by no longer being listed) and changes, records one event each, and refuses from then on', async () => {
      const changed = await changedFixture((entities) => {
        const pi = entities.find((entity) => entity['EntityCode'] === 'PSD_PI!DE_BAFIN!123456')!;
        pi['Properties'] = (pi['Properties'] as Array<Record<string, unknown>>).map((property) => ('ENT_AUT' in property ? { ENT_AUT: ['2019-01-15', '2026-12-01'] } : property));
        entities.splice(entities.findIndex((entity) => entity['EntityCode'] === 'PSD_AISP!NL_DNB!R170001'), 1);
        const emi = entities.find((entity) => entity['EntityCode'] === 'PSD_EMI!FI_FIN-FSA!0111027-9')!;
        emi['Services'] = [{ FI: ['PS_050', 'PS_080'] }, { SE: ['PS_080'] }, { DE: ['PS_080'] }];
      });
      const diff = await registers.synchronise({ register: 'EBA', source: 'changed', entities: parseEbaRegister(changed).entities });
      assert.deepEqual(diff.counts, { added: 0, withdrawn: 2, changed: 1, unchanged: 1 });
      assert.deepEqual(diff.withdrawn.map((change) => change.organizationIdentifier).sort(), ['PSDDE-BAFIN-123456', 'PSDNL-DNB-R170001']);
      assert.deepEqual(diff.changed.map((change) => change.organizationIdentifier), ['PSDFI-FINFSA-0111027-9']);
      const events = await sql<{ subject: string; payload: { change: string; authorised: boolean } }>`
        SELECT subject, payload FROM outbox_events WHERE subject LIKE 'register-entity.%' ORDER BY subject`.execute(database.db);
      assert.deepEqual(
        events.rows.map((row) => [row.subject, row.payload.change, row.payload.authorised]),
        [
          ['register-entity.EBA:PSD_AISP!NL_DNB!R170001.RegisterStandingChanged.v1', 'withdrawn', false],
          ['register-entity.EBA:PSD_EMI!FI_FIN-FSA!0111027-9.RegisterStandingChanged.v1', 'changed', true],
          ['register-entity.EBA:PSD_PI!DE_BAFIN!123456.RegisterStandingChanged.v1', 'withdrawn', false],
        ],
      );
      assert.equal((await registers.standing('PSDDE-BAFIN-123456', 'DE')).status, 'withdrawn');
      assert.equal((await registers.standing('PSDNL-DNB-R170001', 'NL')).status, 'withdrawn', 'an entity no longer listed is withdrawn, not unknown');
      assert.equal((await registers.standing('PSDFI-FINFSA-0111027-9', 'DE')).status, 'authorised');
      const [latest] = await registers.latestSyncs(1);
      assert.deepEqual([latest?.source, latest?.diff.counts.withdrawn], ['changed', 2]);
    });

    it('narrows a directory verdict to the roles the registers grant in the bank country, and refuses what they do not', async () => {
      const organisation = (organizationIdentifier: string) => ({ id: 'org-1', legalName: 'x', organizationIdentifier, roles: ['AISP', 'PISP'] as ('AISP' | 'PISP')[], status: 'Active' as const });
      const acceptingAs = (organizationIdentifier: string): TppDirectory =>
        ({
          validateCertificate: async () => ({ ok: true, organisation: organisation(organizationIdentifier), roles: ['AISP', 'PISP'], thumbprint: 't', certificate: undefined as never, pathValidUntil: new Date(Date.now() + 60_000) }),
        }) as unknown as TppDirectory;
      const inFinland = registers.withRegisterChecks(acceptingAs('PSDFI-FINFSA-0111027-9'), 'FI');
      const verdict = await inFinland.validateCertificate('');
      assertAccepted(verdict);
      assert.deepEqual(verdict.roles, ['AISP'], 'the register grants AIS (and CBPII) in FI, not PIS');
      assertRejected(await registers.withRegisterChecks(acceptingAs('PSDDE-BAFIN-123456'), 'DE').validateCertificate(''), DirectoryErrors.REGISTER_WITHDRAWN);
      assertRejected(await registers.withRegisterChecks(acceptingAs('PSDFI-FINFSA-0111027-9'), 'IT').validateCertificate(''), DirectoryErrors.REGISTER_NOT_PASSPORTED);
      assertRejected(await registers.withRegisterChecks(acceptingAs('PSDGB-FCA-424242'), 'GB').validateCertificate(''), DirectoryErrors.REGISTER_UNKNOWN);
    });

    it('holds the Credit Institutions Register beside the others: a bank is authorised at home and where its open branch is, not where its branch closed', async () => {
      const diff = await registers.synchronise({ register: 'CIR', source: 'cir', entities: parseCreditInstitutionsRegister(await cirFixture()).entities });
      assert.deepEqual(diff.counts, { added: 3, withdrawn: 0, changed: 0, unchanged: 0 });
      assert.deepEqual(diff.added.map((change) => change.organizationIdentifier), ['PSDDE-BAFIN-100099', 'PSDNL-DNB-B0456', 'PSDIE-CBI-C88888']);
      const roles = async (identifier: string, country: string) => {
        const standing = await registers.standing(identifier, country);
        return standing.status === 'authorised' ? `${standing.basis}:${standing.roles.join('+')}` : standing.status;
      };
      assert.equal(await roles('PSDDE-BAFIN-100099', 'DE'), 'home:AISP+CBPII+PISP');
      assert.equal(await roles('PSDDE-BAFIN-100099', 'FR'), 'passport:AISP+CBPII+PISP');
      assert.equal(await roles('PSDDE-BAFIN-100099', 'NL'), 'not-in-country');
      assert.equal(await roles('PSDNL-DNB-B0456', 'NL'), 'withdrawn');
      assert.equal(await roles('PSDIE-CBI-C88888', 'IE'), 'home:AISP+CBPII+PISP');
      assert.equal(await roles('PSDIE-CBI-C88888', 'FR'), 'not-in-country', 'a third-country branch does not passport');
    });

    it('reports a bank withdrawn, a branch renamed, a bank added and a withdrawn bank no longer listed, with one event per withdrawal or change', async () => {
      const changed = await changedCir((records) => {
        const bank = cirRecord(records, '529900BEISPIELBANK01');
        bank.Properties = withProperty(bank.Properties, 'ENT_AUT', ['1998-07-01', '2026-12-01']);
        const branch = cirRecord(records, 'IE_CBI!C88888');
        branch.Properties = withProperty(branch.Properties, 'ENT_NAM', 'Example Trust Company, Ireland Branch');
        records.splice(records.findIndex((record) => record._payload['EntityCode'] === '7245000ANDERBANK0001'), 1);
        records.push({
          _payload: {
            CA_OwnerID: 'AT_FMA',
            EntityCode: '529900NEUEBANKAT0001',
            EntityType: 'CRD_CRE_INS',
            Properties: [{ ENT_NAM: 'Neue Bank AG' }, { ENT_NAT_REF_COD: '54321' }, { ENT_COU_RES: 'AT' }, { ENT_AUT: ['2026-11-01'] }],
          },
        });
      });
      const diff = await registers.synchronise({ register: 'CIR', source: 'cir changed', entities: parseCreditInstitutionsRegister(changed).entities });
      assert.deepEqual(diff.counts, { added: 1, withdrawn: 1, changed: 2, unchanged: 0 });
      assert.deepEqual(diff.added.map((change) => change.organizationIdentifier), ['PSDAT-FMA-54321']);
      assert.deepEqual(diff.withdrawn.map((change) => change.organizationIdentifier), ['PSDDE-BAFIN-100099']);
      assert.deepEqual(diff.changed.map((change) => change.organizationIdentifier).sort(), ['PSDIE-CBI-C88888', 'PSDNL-DNB-B0456'], 'renamed; and no longer listed (withdrawn already)');
      const events = await sql<{ subject: string; payload: { change: string } }>`
        SELECT subject, payload FROM outbox_events WHERE subject LIKE 'register-entity.CIR:%' ORDER BY subject`.execute(database.db);
      assert.deepEqual(
        events.rows.map((row) => [row.subject.split('.')[1], row.payload.change]),
        [
          ['CIR:529900BEISPIELBANK01', 'withdrawn'],
          ['CIR:7245000ANDERBANK0001', 'changed'],
          ['CIR:IE_CBI!C88888', 'changed'],
        ],
      );
      assert.equal((await registers.standing('PSDDE-BAFIN-100099', 'DE')).status, 'withdrawn');
      assertRejected(
        await registers
          .withRegisterChecks({ validateCertificate: async () => ({ ok: true, organisation: { id: 'o', legalName: 'b', organizationIdentifier: 'PSDDE-BAFIN-100099', roles: ['AISP'], status: 'Active' }, roles: ['AISP'], thumbprint: 't', certificate: undefined as never, pathValidUntil: new Date(Date.now() + 60_000) }) } as unknown as TppDirectory, 'DE')
          .validateCertificate(''),
        DirectoryErrors.REGISTER_WITHDRAWN,
      );
    });
  });
}
