import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import type { SandboxOperatorLogin } from '../../src/modules/operators/index.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { launchBrowser } from '../support/browser.ts';

/**
 * An operator's passkey in Chromium (issue 17): logged in with password and one-time code, the
 * operator adds a named passkey on "Your passkeys", logs out, and signs in again with the passkey
 * alone — no username — through a CDP virtual authenticator (a platform authenticator with user
 * verification and resident keys, as a laptop's). Then an admin removes it, and it no longer works.
 */
describe('operations console passkeys, in Chromium (pglite)', () => {
  let app: TestPortico;
  let browser: Browser;
  let logins: SandboxOperatorLogin[];

  before(async () => {
    app = await startTestPortico('pglite');
    logins = (await app.request('/sandbox/v1/operators')).json<SandboxOperatorLogin[]>();
    browser = await launchBrowser(app.portico.tls.certPem);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('an operator registers a passkey, then signs in with it instead of password and code; an admin removes it', async () => {
    const login = logins.find((l) => l.role === 'operator')!;
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await page.goto(`${app.base}/ops/login`);
    await page.getByLabel('Username').fill(login.username);
    await page.getByLabel('Password').fill(login.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('One-time code').fill(generateTotp(login.totpSecret, new Date()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'TPPs' }).waitFor();

    await page.getByRole('link', { name: 'Your passkeys' }).click();
    await page.getByRole('heading', { name: 'Your passkeys' }).waitFor();
    await page.getByText('You have no passkeys yet.').waitFor();
    await page.getByLabel('Passkey name').fill('Journey laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('cell', { name: 'Journey laptop', exact: true }).waitFor();
    // A discoverable credential for the bank's RP ID (PUBLIC_URL's host), user-verified.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.deepEqual([credentials[0]!.isResidentCredential, credentials[0]!.rpId], [true, new URL(app.base).hostname]);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to the operations console' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { name: 'TPPs' }).waitFor();
    assert.match(await page.locator('header').innerText(), /ops-operator \(operator\)/);
    await page.goto(`${app.base}/ops/passkeys`);
    await page.getByRole('cell', { name: 'Journey laptop', exact: true }).waitFor();
    assert.equal(await page.getByRole('cell', { name: 'never' }).count(), 0, 'the passkey records its use');

    // An admin, in a browser of their own, removes the operator's passkey (a lost device).
    const admin = logins.find((l) => l.role === 'admin')!;
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`${app.base}/ops/login`);
    await adminPage.getByLabel('Username').fill(admin.username);
    await adminPage.getByLabel('Password').fill(admin.password);
    await adminPage.getByRole('button', { name: 'Continue' }).click();
    await adminPage.getByLabel('One-time code').fill(generateTotp(admin.totpSecret, new Date()));
    await adminPage.getByRole('button', { name: 'Continue' }).click();
    await adminPage.getByRole('link', { name: 'Operators' }).click();
    await adminPage.getByRole('link', { name: '1 passkeys of ops-operator' }).click();
    await adminPage.getByRole('button', { name: 'Remove Journey laptop' }).click();
    await adminPage.getByText('ops-operator has no passkeys.').waitFor();
    await adminContext.close();

    // The authenticator still holds the credential; the bank no longer accepts it.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    assert.equal(await page.getByRole('alert').innerText(), 'The passkey could not be verified');
    assert.equal(new URL(page.url()).pathname, '/ops/login');

    await app.portico.audit.flush();
    const records = [...(await app.portico.audit.search({ kind: 'operator' }, 50)).records].reverse();
    const passkeyRecords = records
      .map((r) => ({ action: r.action, outcome: r.outcome, details: JSON.parse(r.details) as Record<string, unknown> }))
      .filter((r) => r.action.includes('passkey') || (r.action === 'ops login' && r.details['operator'] === login.username))
      .map((r) => [r.action, r.outcome, r.details['operator'], r.details['factors'] ?? r.details['passkey'] ?? r.details['reason']]);
    assert.deepEqual(passkeyRecords, [
      ['ops login', 'success', login.username, ['password', 'one-time-code']],
      ['ops add-passkey', 'success', login.username, 'Journey laptop'],
      ['ops login', 'success', login.username, ['passkey']],
      ['ops remove-operator-passkey', 'success', admin.username, 'Journey laptop'],
      ['ops login passkey', 'failure', 'unknown', 'unknown-credential'],
    ]);
    await context.close();
  });
});
