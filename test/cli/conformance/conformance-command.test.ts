import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_REDIS_URL } from '../../support/backends.ts';
import { runPortico } from '../../support/run-portico.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { CHROMIUM } from '../../support/browser.ts';

/** The daily limit of unattended AIS reads as `npm start` has it (the test platform's default turns it off). */
const DEFAULT_UNATTENDED_LIMIT = { AIS_UNATTENDED_READS_PER_DAY: '4' };

/** A platform on PostgreSQL and Redis, seeded, with the default limits, and a folder holding its CA (ca.pem), for the suite's tests. */
function conformancePlatform(): { app: TestPortico; work: string } {
  const platform = {} as { app: TestPortico; work: string };
  before(async () => {
    platform.app = await startTestPortico('postgres', { REDIS_URL: TEST_REDIS_URL, ...DEFAULT_UNATTENDED_LIMIT }, { seedSandbox: true });
    platform.work = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-conformance-'));
    await fs.writeFile(path.join(platform.work, 'ca.pem'), platform.app.portico.tls.clientCaPems[0]!);
  });
  after(async () => {
    await platform.app?.close();
    if (platform.work) await fs.rm(platform.work, { recursive: true, force: true });
  });
  return platform;
}

/**
 * `portico conformance` as CI runs it: the OBIE suite's v4.0 manifests (accounts, payments, CBPII,
 * VRP) against a started platform on PostgreSQL and Redis with its default limits, as an outside
 * TPP, in FAPI 1.0 Advanced and FAPI 2.0, with the PSU in Chromium. Every script passes or is
 * reported not applicable with its reason.
 */
describe('portico conformance against a running platform', () => {
  const platform = conformancePlatform();

  it('passes every script of the v4.0 manifests in both profiles and writes JUnit XML and an HTML report', async () => {
    const { app, work } = platform;
    const out = path.join(work, 'report');
    const run = await runPortico(['conformance', '--base-url', app.base, '--ca', path.join(work, 'ca.pem'), '--profile', 'both', '--out', out, '--chromium', CHROMIUM], {
      DATA_DIR: work,
    });
    const failures = run.stdout.split('\n').filter((line) => line.includes(' FAIL '));
    assert.deepEqual(failures, [], `${run.stdout}\n${run.stderr}`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /FAPI 1\.0 Advanced[\s\S]*\d+ passed, 0 failed, \d+ not applicable[\s\S]*FAPI 2\.0[\s\S]*\d+ passed, 0 failed, \d+ not applicable/);

    const junit = await fs.readFile(path.join(out, 'junit.xml'), 'utf8');
    const suites = [...junit.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)"/g)];
    assert.equal(suites.length, 8, 'four APIs in two profiles');
    assert.equal(suites.reduce((sum, s) => sum + Number(s[2]), 0), 2 * 149, 'every script of the four v4.0 manifests, twice');
    assert.ok(suites.every((s) => s[3] === '0'), junit);
    const skipped = [...junit.matchAll(/<skipped message="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(skipped.every((reason) => reason.length > 20), 'each not-applicable script says why');

    const results = JSON.parse(await fs.readFile(path.join(out, 'results.json'), 'utf8')) as Array<{ profile: string; results: Array<{ status: string }> }>;
    assert.deepEqual(results.map((r) => r.profile), ['fapi1-advanced', 'fapi2']);
    const html = await fs.readFile(path.join(out, 'report.html'), 'utf8');
    assert.match(html, /<h2>FAPI 1\.0 Advanced<\/h2>[\s\S]*<h2>FAPI 2\.0<\/h2>/);
    assert.match(html, /OB-400-ACC-100000/);
  });

  it('refuses an unknown profile, API or customer address with a clear message', async () => {
    const { work } = platform;
    const profile = await runPortico(['conformance', '--profile', 'fapi3'], { DATA_DIR: work });
    assert.equal(profile.code, 2);
    assert.match(profile.stderr, /--profile must be one of fapi1, fapi2, both/);
    const api = await runPortico(['conformance', '--api', 'accounts,loans'], { DATA_DIR: work });
    assert.equal(api.code, 2);
    assert.match(api.stderr, /unknown API "loans"/);
    const ip = await runPortico(['conformance', '--customer-ip', 'the-psu'], { DATA_DIR: work });
    assert.equal(ip.code, 2);
    assert.match(ip.stderr, /--customer-ip must be an IP address or none \(got "the-psu"\)/);
  });
});

/**
 * The reads sent unattended (`--customer-ip none`, no `x-fapi-customer-ip-address`): the manifests
 * read `/statements` five times on one consent, and the bank's limit of four unattended reads a day
 * per consent and resource answers the fifth 429 U014 — the one script that fails. A platform of
 * its own: a PSU's one-time code is good once, and another process's run may have spent this one's.
 */
describe('portico conformance with the reads unattended', () => {
  const platform = conformancePlatform();

  it('fails only the fifth unattended read of /statements, with 429 U014', async () => {
    const { app, work } = platform;
    const out = path.join(work, 'report');
    const run = await runPortico(['conformance', '--base-url', app.base, '--ca', path.join(work, 'ca.pem'), '--profile', 'fapi2', '--api', 'accounts', '--customer-ip', 'none', '--out', out, '--chromium', CHROMIUM], {
      DATA_DIR: work,
    });
    assert.equal(run.code, 1, run.stderr);
    const failures = run.stdout.split('\n').filter((line) => line.includes(' FAIL '));
    assert.equal(failures.length, 1, run.stdout);
    assert.match(failures[0]!, /FAIL OB-400-STA-106300 /);
    const results = JSON.parse(await fs.readFile(path.join(out, 'results.json'), 'utf8')) as Array<{ results: Array<{ id: string; status: string; responseStatus?: number; reason: string }> }>;
    const fifth = results[0]!.results.find((result) => result.id === 'OB-400-STA-106300')!;
    assert.equal(fifth.responseStatus, 429);
    assert.match(fifth.reason, /U014/);
    const earlier = results[0]!.results.filter((result) => ['OB-400-STA-105900', 'OB-400-STA-106000', 'OB-400-STA-106100', 'OB-400-STA-106200'].includes(result.id));
    assert.deepEqual(earlier.map((result) => result.status), ['passed', 'passed', 'passed', 'passed']);
  });
});
