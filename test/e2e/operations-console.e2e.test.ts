import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import type { SandboxOperatorLogin } from '../../src/modules/operators/index.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { launchBrowser } from '../support/browser.ts';

/**
 * The operations console's journeys in Chromium (issue 17): log in with password and one-time
 * code, find a TPP, suspend it (its next call fails), reinstate it (its next call succeeds); a
 * viewer cannot act; every form needs its anti-forgery token; the performance charts draw the KPIs.
 */
describe('operations console journeys, in Chromium (pglite)', () => {
  let app: TestPortico;
  let browser: Browser;
  let tpp: TppClient;
  let logins: SandboxOperatorLogin[];
  const loginOf = (role: string) => logins.find((login) => login.role === role)!;
  const loginsOf = new Map<string, number>();

  before(async () => {
    app = await startTestPortico('pglite');
    const listed = await app.request('/sandbox/v1/operators');
    assert.equal(listed.status, 200);
    logins = listed.json<SandboxOperatorLogin[]>();
    browser = await launchBrowser(app.portico.tls.certPem);
    tpp = await TppClient.onboard(app, 'Console Journey Ltd');
    await tpp.register();
    await tpp.createAccountAccessConsent(['ReadAccountsDetail']);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A new browser context logged in as `role` through both factors. */
  async function loggedIn(role: string): Promise<{ context: BrowserContext; page: Page }> {
    const login = loginOf(role);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.base}/ops`);
    assert.equal(new URL(page.url()).pathname, '/ops/login');
    await page.getByLabel('Username').fill(login.username);
    await page.getByLabel('Password').fill(login.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    // A code is accepted once (RFC 6238 §5.2): a second login of the same role uses the next
    // step's code, which the one-step drift window accepts.
    const earlier = loginsOf.get(role) ?? 0;
    assert.ok(earlier < 2, 'at most two logins per role');
    loginsOf.set(role, earlier + 1);
    await page.getByLabel('One-time code').fill(generateTotp(login.totpSecret, new Date(Date.now() + earlier * 30_000)));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'TPPs' }).waitFor();
    return { context, page };
  }

  async function openTpp(page: Page): Promise<void> {
    await page.goto(`${app.base}/ops/tpps`);
    await page.getByLabel('Find a TPP').fill('Console Journey');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Console Journey Ltd' }).click();
    await page.getByRole('heading', { name: 'Console Journey Ltd' }).waitFor();
  }

  it('sandbox mode lists one login per role at GET /sandbox/v1/operators', () => {
    assert.deepEqual(logins.map((login) => [login.username, login.role]), [['ops-viewer', 'viewer'], ['ops-operator', 'operator'], ['ops-admin', 'admin']]);
    for (const login of logins) {
      assert.deepEqual(Object.keys(login).sort(), ['password', 'role', 'totpSecret', 'username']);
      assert.match(login.totpSecret, /^[A-Z2-7]+$/);
    }
  });

  it('an operator suspends a TPP (its next call fails) and reinstates it (its next call succeeds), each action audited', async () => {
    const { context, page } = await loggedIn('operator');
    await openTpp(page);
    assert.equal(await page.getByTestId('tpp-status').innerText(), 'Active');
    await page.getByLabel('Reason (recorded)').fill('journey test');
    await page.getByRole('button', { name: 'Suspend TPP' }).click();
    await page.getByRole('button', { name: 'Reinstate TPP' }).waitFor();
    assert.equal(await page.getByTestId('tpp-status').innerText(), 'Suspended');

    await assert.rejects(tpp.createAccountAccessConsent(['ReadAccountsDetail']), /failed: 4\d\d/);

    await page.getByRole('button', { name: 'Reinstate TPP' }).click();
    await page.getByRole('button', { name: 'Suspend TPP' }).waitFor();
    assert.equal(await page.getByTestId('tpp-status').innerText(), 'Active');
    assert.match(await tpp.createAccountAccessConsent(['ReadAccountsDetail']), /\S/);

    await app.portico.audit.flush();
    const records = (await app.portico.audit.search({ kind: 'operator', organisationId: tpp.tpp.organisationId }, 10)).records;
    const actions = records.map((record) => [record.action, record.outcome, (JSON.parse(record.details) as { operator: string }).operator]).reverse();
    assert.deepEqual(actions, [
      ['ops suspend-tpp', 'success', 'ops-operator'],
      ['ops reinstate-tpp', 'success', 'ops-operator'],
    ]);
    assert.equal((JSON.parse(records[1]!.details) as { reason: string }).reason, 'journey test');
    await context.close();
  });

  it('a viewer reads but cannot act: suspending answers a 403 page and changes nothing', async () => {
    const { context, page } = await loggedIn('viewer');
    await openTpp(page);
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Suspend TPP' }).click()]);
    assert.equal(response.status(), 403);
    assert.match(await page.getByRole('alert').innerText(), /needs the operator role/);
    await openTpp(page);
    assert.equal(await page.getByTestId('tpp-status').innerText(), 'Active');
    await page.goto(`${app.base}/ops/operators`);
    assert.match(await page.getByRole('alert').innerText(), /needs the admin role/);
    // The risk module's alerts are wired: the page lists them (none raised here) rather than saying they are unavailable.
    await page.goto(`${app.base}/ops/alerts`);
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), /not available/);
    await context.close();
  });

  it('attack: cross-site request forgery — a form post without the session token is refused', async () => {
    const { context, page } = await loggedIn('admin');
    // The same session cookie, as a forged form would carry it, without (or with a wrong) token.
    for (const form of [{ status: 'Suspended' }, { status: 'Suspended', csrf: 'x'.repeat(43) }]) {
      const status = await page.evaluate(
        async ({ url, fields }) => (await fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })).status,
        { url: `${app.base}/ops/tpps/${tpp.tpp.organisationId}/status`, fields: form as Record<string, string> },
      );
      assert.equal(status, 403);
    }
    await openTpp(page);
    assert.equal(await page.getByTestId('tpp-status').innerText(), 'Active');
    // The session cookie is SameSite=Strict and scoped to the console.
    const cookie = (await context.cookies()).find((c) => c.name === 'portico_ops')!;
    assert.deepEqual([cookie.sameSite, cookie.httpOnly, cookie.secure, cookie.path], ['Strict', true, true, '/ops']);
    await context.close();
  });

  it('a viewer asks for the chain to be verified; the page follows the worker\'s run until it reports the outcome', async () => {
    await app.portico.audit.flush();
    const { context, page } = await loggedIn('viewer');
    await page.goto(`${app.base}/ops/audit`);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(await page.getByLabel('To day').inputValue(), today);
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByRole('heading', { name: 'Audit trail verification' }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/ops\/audit\/verifications\/[0-9a-f-]{36}$/);
    // The run is a worker's: the page reloads itself until it has an outcome.
    const outcome = page.locator('[data-testid="verification"].ok');
    await outcome.waitFor({ timeout: 30_000 });
    assert.match(await outcome.innerText(), /^Intact: every record and checkpoint from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} verifies \(\d+ of \d+ day\(s\), [\d,]+ records\)\.$/);
    const day = await page.getByRole('table', { name: 'Days' }).locator('tbody tr', { hasText: today }).locator('td').allInnerTexts();
    assert.equal(day[1], 'intact');
    assert.ok(Number(day[2]) > 0, `records of ${today}: ${day[2]}`);
    await page.getByRole('link', { name: 'Back to the audit trail' }).click();
    assert.equal(await page.getByRole('table', { name: 'Verifications' }).locator('tbody tr').first().locator('td').nth(3).innerText(), 'intact');
    await context.close();
  });

  it('the performance page draws the KPIs with Chart.js from its own assets', async () => {
    // Calls of its own, so the figures below do not depend on the tests run before this one.
    for (let i = 0; i < 3; i++) await tpp.createAccountAccessConsent(['ReadAccountsDetail']);
    await app.portico.apiCallKpis!.flush();
    const { context, page } = await loggedIn('operator');
    await page.goto(`${app.base}/ops/performance`);
    await page.locator('#chart-calls[data-points]').waitFor({ state: 'attached' });
    // Chart.js's own record of each chart: the points of its first series (the calls' sum for chart-calls).
    const drawn = await page.evaluate<Array<{ id: string; points: number; sum: number; drawn: number; labels: string[] }>>(`
      ['chart-calls', 'chart-errors', 'chart-percentiles', 'chart-availability', 'chart-latency', 'chart-daily', 'chart-percentiles-daily', 'chart-availability-daily'].map((id) => {
        const chart = Chart.getChart(document.getElementById(id));
        const data = chart?.data.datasets[0]?.data ?? [];
        return { id, points: data.length, sum: data.reduce((sum, v) => sum + (v ?? 0), 0), drawn: data.filter((v) => v !== null).length, labels: (chart?.data.datasets ?? []).map((d) => d.label) };
      })`);
    for (const chart of drawn) assert.ok(chart.points > 0, `${chart.id} has points`);
    assert.ok(drawn[0]!.sum >= 3, `calls drawn: ${drawn[0]!.sum}`);
    // The percentile charts draw p50, p95 and p99 from the distributions the calls above were counted in.
    const [hourly, daily] = [drawn.find((c) => c.id === 'chart-percentiles')!, drawn.find((c) => c.id === 'chart-percentiles-daily')!];
    assert.deepEqual(hourly.labels, ['p50 ms', 'p95 ms', 'p99 ms']);
    assert.equal(hourly.points, 24);
    assert.ok(hourly.drawn >= 1 && hourly.sum > 0, `p50 drawn for ${hourly.drawn} hour(s), sum ${hourly.sum}`);
    assert.ok(daily.drawn >= 1 && daily.sum > 0, `daily p50 drawn for ${daily.drawn} day(s)`);
    assert.equal(await page.getByRole('cell', { name: 'POST /open-banking/v4.0/aisp/account-access-consents' }).count(), 1);
    // The same figures as a table: the hour of the calls above has its p50, p95 and p99.
    const header = await page.getByRole('table').first().locator('th').allInnerTexts();
    assert.deepEqual(header.slice(0, 7), ['Hour (UTC)', 'Calls', 'Errors %', '5xx %', 'p50 ms', 'p95 ms', 'p99 ms']);
    const rows = await page.getByRole('table').first().locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const withCalls = rows.filter((cells) => Number(cells[1]) > 0);
    assert.ok(withCalls.length >= 1);
    for (const cells of withCalls) assert.ok([4, 5, 6].every((i) => Number(cells[i]) > 0), `percentiles of ${cells[0]}: ${cells.slice(4, 7).join(', ')}`);
    await context.close();
  });
});
