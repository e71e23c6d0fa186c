import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { x509 } from '../../src/platform/tls/index.ts';
import { createDatabase } from '../../src/platform/db/index.ts';
import { DATA_DIR_LOCK_FILE } from '../../src/platform/data-dir/index.ts';
import { freePort } from '../support/free-port.ts';
import { httpsRequest } from '../support/https-client.ts';
import { expectObError } from '../support/ob-errors.ts';
import { runPortico } from '../support/run-portico.ts';
import { waitFor } from '../support/wait-for.ts';
import { assertMatchesSchema, obSchema } from '../support/openapi.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/portico.mjs');
const errorResponse = obSchema('account-info', 'OBErrorResponse1');

interface Server {
  readonly child: ChildProcess;
  output: string;
}

/** `portico start` on the embedded backends, until it prints its banner (or exits). */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'start'], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const server: Server = { child, output: '' };
  child.stdout!.on('data', (chunk: Buffer) => (server.output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (server.output += chunk.toString()));
  await waitFor(() => server.output.includes('Portico is running') || child.exitCode !== null, 'the start banner', 120_000);
  return server;
}

async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

describe('portico CLI beside a server holding the embedded database', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let base: string;
  let server: Server | undefined;
  let out: string;
  let tpp: { organisationId: string; softwareId: string; signing: { kid: string } };
  const request = async (pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    httpsRequest(`${base}${pathname}`, { ...options, ca: await fs.readFile(path.join(dataDir, 'tls', 'sandbox-ca.pem'), 'utf8') });

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-embedded-'));
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-embedded-tpp-'));
    const port = await freePort();
    base = `https://localhost:${port}`;
    env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    // A small bank up front, so that the server has nothing to seed at start.
    const seed = await runPortico(['sandbox', 'seed', '--customers', '5', '--months', '1'], env);
    assert.equal(seed.code, 0, seed.stderr);
    server = await startServer(env);
    assert.equal(server.child.exitCode, null, server.output);
  });
  after(async () => {
    await stopServer(server);
  });

  it('attack: onboarding from the CLI while the server runs is not lost — it reaches the server and survives a restart', async () => {
    const run = await runPortico(['sandbox', 'tpp', 'create', '--name', 'Beside Ltd', '--roles', 'AISP,PISP', '--redirect-uri', 'https://beside.example/cb', '--out', out], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Onboarded "Beside Ltd"\n/);
    assert.deepEqual((await fs.readdir(out)).sort(), ['qtsp-root.pem', 'signing.key', 'signing.pem', 'ssa.jwt', 'tpp.json', 'transport.key', 'transport.pem']);
    tpp = JSON.parse(await fs.readFile(path.join(out, 'tpp.json'), 'utf8')) as typeof tpp;
    const root = new x509.X509Certificate(await fs.readFile(path.join(out, 'qtsp-root.pem'), 'utf8'));
    const issuing = new x509.X509Certificate((await fs.readFile(path.join(out, 'transport.pem'), 'utf8')).split(/(?<=-----END CERTIFICATE-----)/)[1]!.trim());
    assert.equal(issuing.issuer, root.subject, 'qtsp-root.pem is the root of the issued chain');

    const published = async () => {
      const jwks = await request(`/directory/v1/software/${tpp.softwareId}/jwks`);
      assert.equal(jwks.status, 200, jwks.text);
      assert.deepEqual(jwks.json<{ keys: Array<{ kid: string }> }>().keys.map((key) => key.kid), [tpp.signing.kid]);
    };
    await published();

    await stopServer(server);
    await assert.rejects(fs.stat(path.join(dataDir, DATA_DIR_LOCK_FILE)), { code: 'ENOENT' }, 'a stopped server lets go of the data dir');
    server = await startServer(env);
    assert.equal(server.child.exitCode, null, server.output);
    await published();
  });

  it('lists the sandbox PSUs through the server', async () => {
    const run = await runPortico(['sandbox', 'psus'], env);
    assert.equal(run.code, 0, run.stderr);
    const list = JSON.parse(run.stdout) as Array<Record<string, string>>;
    // The 5 UK customers, then one EU customer per euro-area country (DE, FR, NL, IE).
    assert.equal(list.length, 5 + 4);
    for (const psu of list) assert.deepEqual(Object.keys(psu).sort(), ['accounts', 'cardAccounts', 'market', 'name', 'password', 'totpSecret', 'username']);
  });

  it('verifies, searches and exports the audit trail, and lists dead letters, through the server', async () => {
    const interactionId = '5f7e36a1-3a5c-4a1f-9d3e-1c2b3a4d5e6f';
    const call = await request('/open-banking/v4.0/aisp/accounts', { headers: { 'x-fapi-interaction-id': interactionId } });
    assert.equal(call.status, 401);
    // The server writes its buffered records within AUDIT_FLUSH_INTERVAL_MS: search until the call is there.
    let found: Array<{ action: string; outcome: string; interactionId: string }> = [];
    await waitFor(async () => {
      const search = await runPortico(['audit', 'search', '--interaction', interactionId, '--json'], env);
      assert.equal(search.code, 0, search.stderr);
      found = JSON.parse(search.stdout) as typeof found;
      return found.length > 0;
    }, 'the call in the audit trail', 30_000);
    assert.deepEqual(found.map((r) => [r.action, r.outcome, r.interactionId]), [['GET /open-banking/v4.0/aisp/accounts', '401', interactionId]]);
    const exported = await runPortico(['audit', 'export', '--interaction', interactionId], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.deepEqual(
      exported.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { action: string; outcome: string; interactionId: string }).map((r) => [r.action, r.outcome, r.interactionId]),
      [['GET /open-banking/v4.0/aisp/accounts', '401', interactionId]],
    );
    const verify = await runPortico(['audit', 'verify'], env);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^Intact: 1 day\(s\) verified\.$/m);
    const dlq = await runPortico(['events', 'dlq', 'list', '--limit', '5'], env);
    assert.equal(dlq.code, 0, dlq.stderr);
    assert.equal(dlq.stdout, 'The dead-letter queue is empty.\n');
  });

  it('refuses, in one line naming the pid, commands that need the database to themselves and a second server', async () => {
    const pid = server!.child.pid!;
    for (const command of [['sandbox', 'seed', '--reset'], ['db', 'migrate'], ['keys', 'rotate']]) {
      const run = await runPortico(command, env);
      assert.equal(run.code, 1, command.join(' '));
      assert.equal(run.stderr, `portico: the data dir ${dataDir} is in use by pid ${pid}; stop it and run the command again (the embedded database allows one process at a time)\n`);
    }
    const second = await startServer({ ...env, PORT: String(await freePort()) });
    assert.equal(second.child.exitCode ?? (await new Promise((resolve) => second.child.once('exit', resolve))), 1);
    assert.match(second.output, new RegExp(`portico: the data dir ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by pid ${pid}; stop it, or give this server a DATA_DIR of its own\n`));
  });

  it('revokes a certificate and suspends an organisation through the server: the CRL lists the serial at once', async () => {
    const serial = new x509.X509Certificate(await fs.readFile(path.join(out, 'transport.pem'), 'utf8')).serialNumber.toLowerCase();
    const revoke = await runPortico(['directory', 'revoke-certificate', '--pem', path.join(out, 'transport.pem'), '--reason', 'keyCompromise'], env);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.equal(revoke.stdout, `Revoked certificate ${serial} (keyCompromise).\n`);
    const crl = await request('/directory/v1/crl');
    const entry = new x509.X509Crl(crl.body).entries.find((candidate) => candidate.serialNumber.toLowerCase() === serial);
    assert.ok(entry, 'the revoked serial is in the CRL');
    assert.equal(entry.reason, x509.X509CrlReason.keyCompromise);

    const suspend = await runPortico(['directory', 'organisation-status', tpp.organisationId, 'Suspended'], env);
    assert.equal(suspend.code, 0, suspend.stderr);
    assert.equal(suspend.stdout, `Organisation ${tpp.organisationId} is Suspended.\n`);

    const unknown = await runPortico(['directory', 'organisation-status', 'NoSuchOrg', 'Active'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^portico: the Portico server at https:\/\/127\.0\.0\.1:\d+ answered 404: No such organisation\n$/);
  });

  it('attack: the operator API refuses callers without the token from the data dir', async () => {
    const body = JSON.stringify({ status: 'Active' });
    const attempts: Array<Record<string, string>> = [{ 'content-type': 'application/json' }, { 'content-type': 'application/json', authorization: 'Bearer guessed-token' }];
    for (const headers of attempts) {
      const response = await request(`/sandbox/v1/operator/organisations/${tpp.organisationId}/status`, { method: 'PUT', headers, body });
      expectObError(response, 401, 'U006');
      assertMatchesSchema(response.json(), errorResponse);
    }
  });

  it('works on the data dir directly once the server has stopped, and the changes made through the server are there', async () => {
    await stopServer(server);
    server = undefined;
    const reinstate = await runPortico(['directory', 'organisation-status', tpp.organisationId, 'active'], env);
    assert.equal(reinstate.code, 0, reinstate.stderr);
    assert.equal(reinstate.stdout, `Organisation ${tpp.organisationId} is Active.\n`);
    const database = await createDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    try {
      const certificates = await database.db.selectFrom('directory_certificates').select(['usage', 'revocation_reason']).where('software_id', '=', tpp.softwareId).orderBy('usage').execute();
      assert.deepEqual(certificates, [
        { usage: 'signing', revocation_reason: null },
        { usage: 'transport', revocation_reason: 'keyCompromise' },
      ]);
      const organisation = await database.db.selectFrom('directory_organisations').select(['status']).where('id', '=', tpp.organisationId).executeTakeFirstOrThrow();
      assert.equal(organisation.status, 'Active');
    } finally {
      await database.close();
    }
  });
});
