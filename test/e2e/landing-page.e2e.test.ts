import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { launchBrowser } from '../support/browser.ts';

const REPO = path.resolve(import.meta.dirname, '../..');

/** The landing page at `/`, in Chromium: where everything is, every link answering. */
describe('landing page in Chromium (sandbox mode)', () => {
  let app: TestPortico;
  let browser: Browser;
  before(async () => {
    app = await startTestPortico('pglite');
    browser = await launchBrowser(app.portico.tls.certPem);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('renders the bank frame, the endpoints, the OpenAPI files, onboarding and the docs', async () => {
    const page = await browser.newPage();
    try {
      const response = await page.goto(`${app.base}/`);
      assert.equal(response?.status(), 200);
      assert.match(response!.headers()['content-type']!, /^text\/html/);
      await page.getByRole('heading', { level: 1, name: 'Open Banking developer sandbox' }).waitFor();
      for (const name of ['Endpoints', 'OpenAPI files', 'Sandbox onboarding', 'Documentation', 'Start in five minutes']) {
        assert.ok(await page.getByRole('heading', { level: 2, name }).isVisible(), name);
      }
      // Styled by the PSU pages' stylesheet (the same look), which loaded under the strict CSP.
      assert.equal(await page.evaluate<string>("getComputedStyle(document.querySelector('header.bank')).backgroundColor"), 'rgb(27, 31, 59)');
      assert.ok(await page.getByText(`${app.portico.config.http.publicUrl}/.well-known/openid-configuration`).isVisible());
      assert.ok(await page.getByText(`POST ${app.portico.config.http.publicUrl}/register`).isVisible());
    } finally {
      await page.close();
    }
  });

  it('every link answers 200, and the OpenAPI files are the vendored official files byte for byte', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${app.base}/`);
      const links = await page.locator('main a[href]').all();
      const hrefs = [...new Set(await Promise.all(links.map(async (a) => new URL((await a.getAttribute('href'))!, `${app.base}/`).href)))];
      assert.ok(hrefs.length >= 15, hrefs.join('\n'));
      // Fetched from the page, as the browser follows them (the CRL would be a download on navigation).
      for (const href of hrefs) {
        const answer = await page.evaluate(async (url) => {
          const response = await fetch(url);
          return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
        }, href);
        assert.equal(answer.status, 200, href);
        const pathname = new URL(href).pathname;
        if (pathname.startsWith('/specs/')) assert.match(answer.contentType, /^application\/json/);
        if (pathname.startsWith('/specs/') || pathname.endsWith('.md')) assert.equal(answer.text, fs.readFileSync(path.join(REPO, pathname), 'utf8'), `${pathname} is served as it is in the repository`);
      }
      const served = hrefs.map((href) => new URL(href).pathname);
      for (const name of ['account-info', 'payment-initiation', 'vrp', 'confirmation-funds', 'events', 'event-notifications']) assert.ok(served.includes(`/specs/uk-obie/v4.0/${name}-openapi.json`), name);
      for (const pathname of ['/.well-known/openid-configuration', '/sandbox/v1/psus', '/health/ready', '/metrics', '/psu/login']) assert.ok(served.includes(pathname), pathname);
    } finally {
      await page.close();
    }
  });

  it('a click on an OpenAPI file opens it', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${app.base}/`);
      await page.getByRole('link', { name: 'Payment Initiation API (PIS)' }).click();
      await page.waitForURL('**/specs/uk-obie/v4.0/payment-initiation-openapi.json');
      const document = JSON.parse(await page.locator('body').innerText()) as { openapi: string; info: { version: string } };
      assert.match(document.openapi, /^3\./);
      assert.equal(document.info.version, '4.0.0');
    } finally {
      await page.close();
    }
  });

  it('the onboarding body shown is literal: pasted as it is, it onboards a TPP', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${app.base}/`);
      const curl = await page.locator('pre code', { hasText: 'curl' }).innerText();
      const body = /-d '([^']+)'/.exec(curl)![1]!;
      const response = await app.request('/sandbox/v1/tpps', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(response.status, 201, response.text);
      assert.ok(curl.includes(`${app.portico.config.http.publicUrl}/sandbox/v1/tpps`), curl);
    } finally {
      await page.close();
    }
  });

  it('fits a 390 px wide screen without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${app.base}/`);
      assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth')) <= 390, 'no horizontal overflow');
    } finally {
      await page.close();
    }
  });
});

describe('landing page in production mode (SANDBOX=false)', () => {
  let app: TestPortico;
  before(async () => {
    app = await startTestPortico('pglite', { SANDBOX: 'false' });
  });
  after(async () => {
    await app?.close();
  });

  it('lists the endpoints and OpenAPI files, and nothing of the sandbox', async () => {
    const response = await app.request('/');
    assert.equal(response.status, 200);
    assert.match(response.text, /<h1>Open Banking APIs<\/h1>/);
    assert.match(response.text, /href="\/specs\/uk-obie\/v4\.0\/account-info-openapi\.json"/);
    assert.match(response.text, /href="\/\.well-known\/openid-configuration"/);
    for (const absent of [/sandbox/i, /\/register/, /\/directory\//, /examples\//, /totp/i]) assert.doesNotMatch(response.text, absent);
    assert.equal((await app.request('/specs/uk-obie/v4.0/account-info-openapi.json')).status, 200);
    assert.equal((await app.request('/examples/README.md')).status, 404, 'the sandbox quickstart is not served');
  });
});
