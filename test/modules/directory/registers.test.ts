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
  DirectoryErrors,
  downloadEbaRegister,
  fetchFcaFirms,
  parseEbaRegister,
  readEbaRegisterFile,
  type RegisterEntity,
  type RegistersApi,
  type TppDirectory,
} from '../../../src/modules/directory/index.ts';
import { createHttpsFetch } from '../../../src/platform/https-client/index.ts';
import { DIALECTS, openTestCache, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { assertAccepted, assertRejected } from './directory-fixtures.ts';

const FIXTURE = path.join(import.meta.dirname, '../../fixtures/registers/eba-psd2-register.json');
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
  });
}
