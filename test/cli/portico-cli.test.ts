import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { runPortico } from '../support/run-portico.ts';
import { porticoMigrations as migrations } from '../../src/app/portico-migrations.ts';

const portico = runPortico;

describe('portico CLI (PostgreSQL)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    env = { DATABASE_URL: database.url!, DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), 'portico-cli-')) };
  });
  after(async () => {
    await database.close();
  });

  it('prints usage', async () => {
    const run = await portico(['help'], env);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: portico <command>/);
    assert.match(run.stdout, /sandbox seed \[options\]/);
  });

  it('applies migrations once: db migrate', async () => {
    const first = await portico(['db', 'migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    const names = Object.keys(migrations);
    assert.equal(first.stdout, `Applied ${names.length} migration(s): ${names.join(', ')}\n`);
    const second = await portico(['db', 'migrate'], env);
    assert.equal(second.stdout, 'Database is up to date.\n');
  });

  it('seeds the sandbox bank with progress, then lists its PSUs', async () => {
    const seed = await portico(['sandbox', 'seed', '--customers', '6', '--months', '2', '--seed', '11', '--as-of', '2026-06-30'], env);
    assert.equal(seed.code, 0, seed.stderr);
    assert.match(seed.stderr, /100% \| (\d+)\/\1/, 'the progress bar reaches its total');
    assert.equal(seed.stdout, 'Seeded the sandbox bank: 6 customers, 2 months of history, seed 11.\n');
    const psus = await portico(['sandbox', 'psus'], env);
    assert.equal(psus.code, 0, psus.stderr);
    const list = JSON.parse(psus.stdout) as Array<Record<string, unknown>>;
    // The 6 UK customers, then one EU customer per euro-area country (DE, FR, NL, IE).
    assert.equal(list.length, 6 + 4);
    for (const psu of list) assert.deepEqual(Object.keys(psu).sort(), ['accounts', 'cardAccounts', 'market', 'name', 'password', 'totpSecret', 'username']);
    assert.deepEqual(list.map((psu) => psu['market']), [...Array(6).fill('UK'), ...Array(4).fill('EU')]);
    assert.deepEqual(list.map((psu) => (psu['cardAccounts'] as unknown[]).length), [...Array(6).fill(0), ...Array(4).fill(1)], 'the EU customers hold a credit card account');
  });

  it('refuses to seed over an existing sandbox bank unless --reset', async () => {
    const again = await portico(['sandbox', 'seed', '--customers', '5', '--months', '1'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^portico: .*--reset.*\n$/);
    const reset = await portico(['sandbox', 'seed', '--customers', '5', '--months', '1', '--seed', '2', '--reset'], env);
    assert.equal(reset.code, 0, reset.stderr);
    const list = JSON.parse((await portico(['sandbox', 'psus'], env)).stdout) as unknown[];
    assert.equal(list.length, 5 + 4);
  });

  it('onboards a sandbox TPP into files a TPP client can use: sandbox tpp create', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-tpp-'));
    const run = await portico(['sandbox', 'tpp', 'create', '--name', 'Cli Budgeting Ltd', '--roles', 'AISP,PISP', '--redirect-uri', 'https://cli.example/callback', '--out', out], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Onboarded "Cli Budgeting Ltd"\n {2}organisation id {3}\S+\n {2}software id {7}\S+\n {2}signing kid {7}\S+\n {2}credentials in {4}/);
    assert.deepEqual((await fs.readdir(out)).sort(), ['qtsp-root.pem', 'signing.key', 'signing.pem', 'ssa.jwt', 'tpp.json', 'transport.key', 'transport.pem']);
    const tpp = JSON.parse(await fs.readFile(path.join(out, 'tpp.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(tpp).sort(), ['organisationId', 'signing', 'softwareId', 'softwareStatement', 'transport']);
    assert.equal((await fs.stat(path.join(out, 'transport.key'))).mode & 0o777, 0o600, 'private keys are readable by the owner only');
    const missing = await portico(['sandbox', 'tpp', 'create', '--roles', 'AISP'], env);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'portico: --name is required\n');
  });

  it('revokes a certificate and suspends an organisation on PostgreSQL directly: directory revoke-certificate, directory organisation-status', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-tpp-'));
    const onboard = await portico(['sandbox', 'tpp', 'create', '--name', 'Cli Revoked Ltd', '--roles', 'AISP', '--redirect-uri', 'https://cli.example/callback', '--out', out], env);
    assert.equal(onboard.code, 0, onboard.stderr);
    const tpp = JSON.parse(await fs.readFile(path.join(out, 'tpp.json'), 'utf8')) as { organisationId: string; softwareId: string };

    const revoke = await portico(['directory', 'revoke-certificate', '--pem', path.join(out, 'signing.pem'), '--reason', 'superseded'], env);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.match(revoke.stdout, /^Revoked certificate [0-9a-f]+ \(superseded\)\.\n$/);
    const certificates = await database.db.selectFrom('directory_certificates').select(['usage', 'revocation_reason']).where('software_id', '=', tpp.softwareId).orderBy('usage').execute();
    assert.deepEqual(certificates, [
      { usage: 'signing', revocation_reason: 'superseded' },
      { usage: 'transport', revocation_reason: null },
    ]);

    const suspend = await portico(['directory', 'organisation-status', tpp.organisationId, 'Suspended'], env);
    assert.equal(suspend.code, 0, suspend.stderr);
    assert.equal(suspend.stdout, `Organisation ${tpp.organisationId} is Suspended.\n`);
    const organisation = await database.db.selectFrom('directory_organisations').select(['status']).where('id', '=', tpp.organisationId).executeTakeFirstOrThrow();
    assert.equal(organisation.status, 'Suspended');

    const unknown = await portico(['directory', 'organisation-status', 'NoSuchOrg', 'Active'], env);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'portico: No such organisation\n');
    const badStatus = await portico(['directory', 'organisation-status', tpp.organisationId, 'Paused'], env);
    assert.equal(badStatus.code, 2);
    assert.equal(badStatus.stderr, 'portico: the status must be one of Active, Suspended, Revoked (got "Paused")\n');
    const badReason = await portico(['directory', 'revoke-certificate', '--pem', path.join(out, 'signing.pem'), '--reason', 'boredom'], env);
    assert.equal(badReason.code, 2);
    assert.match(badReason.stderr, /^portico: --reason must be one of unspecified, keyCompromise, .* \(got "boredom"\)\n$/);
    const notPem = await portico(['directory', 'revoke-certificate', '--pem', path.join(out, 'ssa.jwt')], env);
    assert.equal(notPem.code, 2);
    assert.equal(notPem.stderr, `portico: --pem ${path.join(out, 'ssa.jwt')} holds no PEM certificate\n`);
  });

  it("blocks and re-opens an account of the built-in ledger, with the core's AccountChanged event: accounts status", async () => {
    const account = await database.db.selectFrom('bank_accounts').select('id').where('holder_kind', '=', 'Personal').orderBy('id').executeTakeFirstOrThrow();
    const blocked = await portico(['accounts', 'status', account.id, 'disabled'], env);
    assert.equal(blocked.code, 0, blocked.stderr);
    assert.equal(blocked.stdout, `Account ${account.id} is blocked (Disabled).\n`);
    assert.equal((await database.db.selectFrom('bank_accounts').select('status').where('id', '=', account.id).executeTakeFirstOrThrow()).status, 'Disabled');
    const events = await database.db.selectFrom('outbox_events').select(['event_type', 'payload']).where('aggregate_type', '=', 'core-account').where('aggregate_id', '=', account.id).execute();
    assert.deepEqual(events, [{ event_type: 'AccountChanged', payload: { accountIds: [account.id] } }]);
    const reopened = await portico(['accounts', 'status', account.id, 'Enabled'], env);
    assert.equal(reopened.stdout, `Account ${account.id} is open (Enabled).\n`);
    const unknown = await portico(['accounts', 'status', 'no-such-account', 'Deleted'], env);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'portico: No such account no-such-account\n');
    const bad = await portico(['accounts', 'status', account.id, 'Frozen'], env);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'portico: the status must be one of Enabled, Disabled, Deleted (got "Frozen")\n');
  });

  it('answers bad arguments with one line and exit code 2', async () => {
    const bad = await portico(['sandbox', 'seed', '--customers', 'many'], env);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'portico: --customers must be a whole number (got "many")\n');
    const unknown = await portico(['sandbox', 'seed', '--colour', 'red'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^portico: Unknown option '--colour'/);
    const command = await portico(['launch'], env);
    assert.equal(command.code, 2);
    assert.equal(command.stderr, 'portico: unknown command "launch"; run "portico help"\n');
  });

  it('stops on bad configuration with one line naming the variable', async () => {
    const run = await portico(['db', 'migrate'], { ...env, DATABASE_URL: 'mysql://nope/db' });
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'portico: Invalid configuration: DATABASE_URL must use postgres:// or postgresql://\n');
  });
});
