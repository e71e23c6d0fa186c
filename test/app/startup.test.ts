import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/free-port.ts';
import { httpsRequest } from '../support/https-client.ts';
import { waitFor } from '../support/wait-for.ts';

const REPO = path.resolve(import.meta.dirname, '../..');


describe('npm start on a bare machine', () => {
  let child: ChildProcess | undefined;
  after(() => {
    try {
      if (child?.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('starts on an empty data dir with the embedded backends, seeds the sandbox and serves health and metrics over HTTPS', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-start-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    // The bare-machine path: no external services configured.
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'PUBLIC_URL', 'SANDBOX']) delete env[name];
    let output = '';
    child = spawn('npm', ['start'], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const base = `https://localhost:${port}`;
    await waitFor(() => output.includes('Portico is running') || child!.exitCode !== null, 'the start banner', 180_000);
    assert.equal(child.exitCode, null, `npm start exited early:\n${output}`);
    const ca = await fs.readFile(path.join(dataDir, 'tls', 'sandbox-ca.pem'), 'utf8');

    assert.match(output, new RegExp(`Portico is running on ${base} \\(pglite, cache: memory, bus: memory\\)`));
    assert.ok(output.includes(`${base}/health/ready`));
    assert.ok(output.includes(`${base}/open-banking/v4.0`));
    assert.ok(output.includes(`${base}/.well-known/openid-configuration`));
    assert.ok(output.includes(`${base}/psu`));
    assert.ok(output.includes(`${base}/metrics`));
    assert.ok(output.includes(`${base}/sandbox/v1/psus`));
    assert.ok(output.includes(`${base}/ops`));
    assert.ok(output.includes(`${base}/sandbox/v1/operators`));
    assert.match(output, /"msg":"sandbox mode is on: GET \/sandbox\/v1\/psus publishes every PSU's password and TOTP secret/);

    const ready = await httpsRequest(`${base}/health/ready`, { ca });
    assert.equal(ready.status, 200, ready.text);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { database: { status: 'up' }, cache: { status: 'up' }, bus: { status: 'up' }, audit: { status: 'up' }, shutdown: { status: 'up' } } });

    const metrics = await httpsRequest(`${base}/metrics`, { ca });
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /http_requests_total\{method="GET",route="\/health\/ready",status_code="200"\} 1/);

    const psus = await httpsRequest(`${base}/sandbox/v1/psus`, { ca });
    assert.equal(psus.status, 200);
    const list = psus.json<Array<Record<string, string>>>();
    assert.ok(list.length >= 5, `expected at least 5 sandbox PSUs, got ${list.length}`);
    for (const psu of list) {
      assert.deepEqual(Object.keys(psu).sort(), ['accounts', 'cardAccounts', 'market', 'name', 'password', 'totpSecret', 'username']);
      assert.match(psu['totpSecret']!, /^[A-Z2-7]{32}$/);
    }
    assert.ok(list.some((psu) => psu['market'] === 'EU'), 'the sandbox has EU PSUs too');

    // DESIGN.md §3: the operations console's seeded logins, one per role.
    const operators = await httpsRequest(`${base}/sandbox/v1/operators`, { ca });
    assert.equal(operators.status, 200);
    assert.deepEqual(operators.json<Array<Record<string, string>>>().map((login) => [login['username'], login['role'], Object.keys(login).sort().join()]), [
      ['ops-viewer', 'viewer', 'password,role,totpSecret,username'],
      ['ops-operator', 'operator', 'password,role,totpSecret,username'],
      ['ops-admin', 'admin', 'password,role,totpSecret,username'],
    ]);

    // As a terminal's Ctrl-C or a process manager would: SIGTERM to the whole process group.
    const group = child.pid!;
    process.kill(-group, 'SIGTERM');
    const groupAlive = () => {
      try {
        process.kill(-group, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => !groupAlive(), 'every process of npm start to exit', 20_000);
    assert.match(output, /"msg":"shutting down"/);
    assert.doesNotMatch(output, /error while shutting down/);
  });
});
