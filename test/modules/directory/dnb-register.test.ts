import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createRegistersModule, downloadDnbRegister, parseDnbRegister, readDnbRegisterFile, type RegisterEntity, type RegistersApi } from '../../../src/modules/directory/index.ts';
import { createHttpsFetch } from '../../../src/platform/https-client/index.ts';
import { DIALECTS, openTestCache, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { DNB_FIXTURE, dnbRegistration, startDnbRegisterApi, type DnbPublication } from '../../support/dnb-register-api.ts';

const TODAY = '2026-12-06';
const fetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 2000 });
const fixture = () => readFile(DNB_FIXTURE, 'utf8');
const changed = async (change: (publications: DnbPublication[]) => void) => {
  const publications = JSON.parse(await fixture()) as DnbPublication[];
  change(publications);
  return JSON.stringify(publications);
};

describe('the DNB public register (Public Register API publications)', () => {
  after(() => fetch.close());

  it('reads Dutch institutions with their DNB identifier, authorisation and TPP roles at home and where a notification passports them; skips firms DNB is not the home authority of; names what it cannot read', async () => {
    const parsed = parseDnbRegister(await fixture(), TODAY);
    const byCode = new Map(parsed.entities.map((entity) => [entity.entityCode, entity]));
    assert.deepEqual(byCode.get('R180001'), {
      register: 'DNB',
      entityCode: 'R180001',
      organizationIdentifier: 'PSDNL-DNB-R180001',
      name: 'Initiatie Betalingen B.V.',
      entityType: 'WFTBI',
      homeCountry: 'NL',
      authorised: true,
      authorisedFrom: '2019-06-01',
      withdrawnOn: undefined,
      services: { NL: ['AISP', 'PISP'], DE: ['AISP'] },
    } satisfies RegisterEntity);
    assert.deepEqual(
      parsed.entities.map((entity) => [entity.organizationIdentifier, entity.entityType, entity.authorised, entity.withdrawnOn ?? null, entity.services]),
      [
        ['PSDNL-DNB-R180001', 'WFTBI', true, null, { NL: ['AISP', 'PISP'], DE: ['AISP'] }],
        ['PSDNL-DNB-R180002', 'WFTBI', true, null, { NL: ['AISP'] }],
        ['PSDNL-DNB-R180003', 'WFTBI', false, '2024-03-31', { NL: ['PISP'] }],
        ['PSDNL-DNB-R180004', 'WFTBI', false, '2026-10-01', { NL: ['AISP'] }],
        ['PSDNL-DNB-R180010', 'WFTEG', true, null, { NL: ['CBPII', 'PISP'] }],
      ],
      'the notification to BE ended in 2023; the bankrupt institution is not trusted; the e-money institution issues payment instruments',
    );
    assert.equal(parsed.ignored, 2, 'the Lithuanian institution passporting in, and the money-transfer-only one');
    assert.deepEqual(parsed.malformed, ['WFTBI organisation 6: relationNumber Invalid input: expected string, received null']);
  });

  it('reads an activity or registration by its dates: not yet started, or ended, it grants nothing', async () => {
    const parsed = parseDnbRegister(
      await changed((publications) => {
        const home = dnbRegistration(publications, 'R180001', 'NL') as { allowedActivities: Array<Record<string, unknown>> };
        home.allowedActivities[0]!['validityPeriodEndDate'] = '2026-12-01T00:00:00';
        dnbRegistration(publications, 'R180001', 'DE')['validityPeriodStartDate'] = '2027-01-01T00:00:00';
      }),
      TODAY,
    );
    assert.deepEqual(parsed.entities.find((entity) => entity.entityCode === 'R180001')?.services, { NL: ['AISP'] }, 'PIS ended on 1 December; the DE notification starts in January');
  });

  it('reads a registration that lists no activities by its article: a registered account information service provider is an AISP', async () => {
    const parsed = parseDnbRegister(
      await changed((publications) => {
        dnbRegistration(publications, 'R180002', 'NL')['allowedActivities'] = [];
        dnbRegistration(publications, 'R180010', 'NL')['allowedActivities'] = null;
      }),
      TODAY,
    );
    assert.deepEqual(parsed.entities.find((entity) => entity.entityCode === 'R180002')?.services, { NL: ['AISP'] }, 'its article names it a rekeninginformatiedienstverlener');
    assert.equal(parsed.entities.find((entity) => entity.entityCode === 'R180010'), undefined, 'a licence article alone names no TPP service: not a TPP');
  });

  it('attack: an export that is not publications, or lists no organisation, is refused whole (never read as withdrawals)', async () => {
    assert.throws(() => parseDnbRegister('<html>', TODAY), /not JSON/);
    assert.throws(() => parseDnbRegister('{"errorMessage":"The register code \'X\' is not valid."}', TODAY), /not its format: page 1 has no registerCode/);
    assert.throws(() => parseDnbRegister('[{"registerCode":"WFTBI","organizations":{}}]', TODAY), /not its format: page 1 has no organizations/);
    assert.throws(() => parseDnbRegister('[{"registerCode":"WFTBI","organizations":[]}]', TODAY), /lists no organisation/);
    const directory = await mkdtemp(path.join(tmpdir(), 'portico-dnb-'));
    try {
      assert.equal((await readDnbRegisterFile(DNB_FIXTURE, undefined, TODAY)).entities.length, 5);
      const single = path.join(directory, 'wftbi.json');
      await writeFile(single, JSON.stringify((JSON.parse(await fixture()) as DnbPublication[])[0]));
      assert.equal((await readDnbRegisterFile(single, undefined, TODAY)).entities.length, 4, 'one publication, not in an array');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('downloads each register page by page with the subscription key; a failed or republished page is an error', async () => {
    const api = await startDnbRegisterApi();
    const options = { apiUrl: api.apiUrl, key: api.key, registerCodes: ['WFTBI', 'WFTEG'], fetch };
    try {
      const parsed = await downloadDnbRegister(options, undefined, TODAY);
      assert.deepEqual(parsed, parseDnbRegister(await fixture(), TODAY));
      assert.deepEqual(api.state.requests, [
        '/publicdata/v1/api/publicregister/NL/Publications/WFTBI?page=1&pageSize=25',
        '/publicdata/v1/api/publicregister/NL/Publications/WFTBI?page=2&pageSize=25',
        '/publicdata/v1/api/publicregister/NL/Publications/WFTBI?page=3&pageSize=25',
        '/publicdata/v1/api/publicregister/NL/Publications/WFTEG?page=1&pageSize=25',
      ]);
      await assert.rejects(downloadDnbRegister({ ...options, key: 'wrong' }, undefined, TODAY), /HTTP 401 for WFTBI page 1/);
      await assert.rejects(downloadDnbRegister({ ...options, registerCodes: ['WFTXX'] }, undefined, TODAY), /HTTP 404 for WFTXX page 1/);
      let pages = 0;
      const republishing = async (url: string, init?: Parameters<typeof fetch>[1]) => {
        const response = await fetch(url, init);
        pages += 1;
        if (pages !== 2) return response;
        const body = (await response.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, publishDate: '2026-12-01T06:00:00' }), { status: 200 });
      };
      await assert.rejects(downloadDnbRegister({ ...options, fetch: republishing }, undefined, TODAY), /WFTBI was published anew while it was read/);
      api.state.failWith = 503;
      await assert.rejects(downloadDnbRegister(options, undefined, TODAY), /HTTP 503/);
    } finally {
      await api.close();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`the DNB register held beside the others (${dialect})`, () => {
    let database: TestDatabase;
    const cache = openTestCache('registers-dnb');
    let registers: RegistersApi;

    before(async () => {
      database = await openTestDatabase(dialect);
      registers = createRegistersModule({ db: database.db, cache });
    });
    after(async () => {
      await cache.close();
      await database?.close();
    });

    const roles = async (identifier: string, country: string) => {
      const standing = await registers.standing(identifier, country);
      return standing.status === 'authorised' ? `${standing.basis}:${standing.roles.join('+')}` : standing.status;
    };

    it('decides by the bank country: home licence, passport notification, not passported, withdrawn, bankrupt', async () => {
      const diff = await registers.synchronise({ register: 'DNB', source: 'fixture', entities: parseDnbRegister(await fixture(), TODAY).entities });
      assert.deepEqual(diff.counts, { added: 5, withdrawn: 0, changed: 0, unchanged: 0 });
      assert.equal(await roles('PSDNL-DNB-R180001', 'NL'), 'home:AISP+PISP');
      assert.equal(await roles('PSDNL-DNB-R180001', 'DE'), 'passport:AISP');
      assert.equal(await roles('PSDNL-DNB-R180001', 'BE'), 'not-in-country', 'its notification to BE ended');
      assert.equal(await roles('PSDNL-DNB-R180002', 'NL'), 'home:AISP');
      assert.equal(await roles('PSDNL-DNB-R180003', 'NL'), 'withdrawn');
      assert.equal(await roles('PSDNL-DNB-R180004', 'NL'), 'withdrawn');
      assert.equal(await roles('PSDNL-DNB-R180005', 'NL'), 'unknown', 'DNB is not the home authority of the Lithuanian institution');
    });

    it('reports a licence ended, a passport added and an institution no longer published, with one event each', async () => {
      const next = await changed((publications) => {
        dnbRegistration(publications, 'R180002', 'NL')['validityPeriodEndDate'] = '2026-12-01T00:00:00';
        const home = dnbRegistration(publications, 'R180001', 'NL');
        const organization = publications[0]!.organizations.find((item) => item.relationNumber === 'R180001')!;
        organization.registrations!.push({ ...home, id: '3f1c6a2e-0000-4000-8000-000000000099', country: { isoCode: 'FR', name: 'FRANKRIJK' }, validityPeriodStartDate: '2026-11-15T00:00:00' });
        publications[1]!.organizations = publications[1]!.organizations.filter((item) => item.relationNumber !== 'R180010');
        publications[1]!.organizations.push(...publications[0]!.organizations.filter((item) => item.relationNumber === 'R180003'));
      });
      const diff = await registers.synchronise({ register: 'DNB', source: 'changed', entities: parseDnbRegister(next, TODAY).entities });
      assert.deepEqual(diff.counts, { added: 0, withdrawn: 2, changed: 2, unchanged: 1 });
      assert.deepEqual(diff.withdrawn.map((change) => change.organizationIdentifier).sort(), ['PSDNL-DNB-R180002', 'PSDNL-DNB-R180010']);
      assert.deepEqual(diff.changed.map((change) => change.organizationIdentifier).sort(), ['PSDNL-DNB-R180001', 'PSDNL-DNB-R180003'], 'passported to FR; listed in both registers read');
      assert.equal(await roles('PSDNL-DNB-R180001', 'FR'), 'passport:AISP+PISP');
      assert.equal(await roles('PSDNL-DNB-R180002', 'NL'), 'withdrawn');
      assert.equal(await roles('PSDNL-DNB-R180010', 'NL'), 'withdrawn', 'no longer published: withdrawn, not unknown');
      const events = await sql<{ subject: string; payload: { change: string } }>`
        SELECT subject, payload FROM outbox_events WHERE subject LIKE 'register-entity.DNB:%' ORDER BY subject`.execute(database.db);
      assert.deepEqual(
        events.rows.map((row) => [row.subject.split('.')[1], row.payload.change]),
        [
          ['DNB:R180001', 'changed'],
          ['DNB:R180002', 'withdrawn'],
          ['DNB:R180003', 'changed'],
          ['DNB:R180010', 'withdrawn'],
        ],
      );
    });
  });
}
