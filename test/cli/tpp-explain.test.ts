import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createUnsavedQtsp } from '../../src/modules/directory/sandbox-qtsp.ts';
import { createTppCertificates } from '../../src/modules/directory/create-tpp-certificates.ts';
import { openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../support/backends.ts';
import { runPortico } from '../support/run-portico.ts';

describe('portico tpp explain (sandbox mode, PostgreSQL)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let out: string;
  let organisationId: string;

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-explain-'));
    env = { DATABASE_URL: database.url!, REDIS_URL: TEST_REDIS_URL, DATA_DIR: out, KEY_ENCRYPTION_KEYS: Buffer.alloc(32, 5).toString('base64') };
    const created = await runPortico(['sandbox', 'tpp', 'create', '--name', 'Explained Ltd', '--roles', 'AISP,PISP', '--redirect-uri', 'https://tpp.example/cb', '--out', path.join(out, 'tpp')], env);
    assert.equal(created.code, 0, created.stderr);
    organisationId = (JSON.parse(await fs.readFile(path.join(out, 'tpp', 'tpp.json'), 'utf8')) as { organisationId: string }).organisationId;
  });
  after(async () => {
    await database?.close();
    await fs.rm(out, { recursive: true, force: true });
  });

  it("explains each certificate the sandbox QTSP issued to the organisation, check by check, with the verdict", async () => {
    const run = await runPortico(['tpp', 'explain', organisationId], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^TPP ${organisationId}\\nRegistered clients: none\\n`));
    const transport = /Certificate \(transport\) from sandbox QTSP, transport [0-9a-f]+:\n((?: {2}.+\n)+)/.exec(run.stdout)?.[1];
    assert.ok(transport, run.stdout);
    assert.deepEqual(
      transport.trim().split('\n').map((line) => line.trim().split(/\s{2,}/)[0]),
      ['✓ certificate', '✓ chain', '✓ validity', '✓ key usage', '✓ revocation', '✓ PSD2 QCStatement', '✓ directory', '✓ roles', 'Verdict: TRUSTED, roles AISP, PISP'],
    );
    assert.match(transport, /✓ chain\s+Explained Ltd|chain\s+\S+ → Portico Sandbox QTSP Issuing CA → Portico Sandbox QTSP Root CA/);
    assert.match(transport, /✓ PSD2 QCStatement\s+roles AISP, PISP; NCA Financial Conduct Authority \(GB-FCA\)/);
    assert.match(run.stdout, /Certificate \(signing\) from sandbox QTSP, signing [0-9a-f]+:\n(?: {2}.+\n)*? {2}Verdict: TRUSTED/);
  });

  it('attack: a revoked transport certificate — the explanation names the failed check and the refusal', async () => {
    const revoke = await runPortico(['directory', 'revoke-certificate', '--pem', path.join(out, 'tpp', 'transport.pem'), '--reason', 'keyCompromise'], env);
    assert.equal(revoke.code, 0, revoke.stderr);
    const run = await runPortico(['tpp', 'explain', organisationId], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Certificate \(transport\)[^\n]*\n(?: {2}✓.+\n)* {2}✗ revocation\s+The client certificate has been revoked: .+\n {2}Verdict: REFUSED \(401 DIRECTORY\.CERTIFICATE_REVOKED\): The client certificate has been revoked\n/);
  });

  it('attack: a certificate from a CA the platform does not trust, given with --pem; and as JSON', async () => {
    const foreign = await createUnsavedQtsp();
    const { credentials } = await createTppCertificates(foreign, {
      organisation: { id: organisationId, legalName: 'Explained Ltd', organizationIdentifier: 'PSDGB-FCA-000001', roles: ['AISP'], ncaName: 'Financial Conduct Authority', ncaId: 'GB-FCA' },
      softwareId: 'sw-foreign',
      publicUrl: 'https://qtsp.example',
    });
    const file = path.join(out, 'foreign.pem');
    await fs.writeFile(file, credentials.transport.certificatePem);
    const run = await runPortico(['tpp', 'explain', organisationId, '--pem', file, '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    const explanation = JSON.parse(run.stdout) as { certificates: Array<{ source: string; steps: Array<{ check: string; ok: boolean }>; verdict: { ok: boolean; code?: string } }> };
    const given = explanation.certificates.find((certificate) => certificate.source === file);
    assert.deepEqual(given?.steps.map((step) => [step.check, step.ok]), [
      ['certificate', true],
      ['chain', false],
    ]);
    assert.deepEqual(given?.verdict, { ok: false, code: 'DIRECTORY.CERTIFICATE_UNTRUSTED', status: 401, message: 'The client certificate does not chain to a trusted QTSP' });
  });

  it('answers a missing id with usage and exit code 2', async () => {
    const run = await runPortico(['tpp', 'explain'], env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /usage: portico tpp explain/);
  });
});
