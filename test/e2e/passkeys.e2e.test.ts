import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { consentsOf } from '../support/consents-module.ts';
import { createPsuIdentityModule, generateTotp, relyingPartyFor } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { obAccess } from '../support/ob-access.ts';

for (const dialect of DIALECTS) {
  describe(`WebAuthn passkeys in Chromium (${dialect})`, () => {
    let app: TestPortico;
    let browser: Browser;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      browser = await launchBrowser(app.portico.tls.certPem);
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    it('a PSU enrols a passkey and then uses it instead of the one-time code to authorise a consent', async () => {
      const psu = (await createSandboxModule({ db: app.portico.database.db }).listPsus())[7]!;
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      // A platform authenticator with user verification, as a phone or laptop has (CDP virtual authenticator).
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });

      await page.goto(`${app.base}/psu/login`);
      await page.getByLabel('Username').fill(psu.username);
      await page.getByLabel('Password').fill(psu.password);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Connected apps' }).waitFor();
      await page.getByRole('link', { name: 'Sign-in and security' }).click();
      await page.getByRole('heading', { name: 'Sign-in and security' }).waitFor();
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByText(/^Passkey added/).waitFor();
      const psuId = (await app.portico.database.db.selectFrom('psu_users').select('id').where('username', '=', psu.username).executeTakeFirstOrThrow()).id;
      const { database, cache, loginGuard, config } = app.portico;
      const psuIdentity = createPsuIdentityModule({ db: database.db, cache, loginGuard, relyingParty: relyingPartyFor(config.http.publicUrl) });
      assert.equal((await psuIdentity.listPasskeys(psuId)).length, 1);

      const tpp = await TppClient.onboard(app, 'Passkey Friendly Ltd');
      await tpp.register();
      const consent = await consentsOf(app.portico.database.db).create({ kind: 'account-access', clientId: tpp.clientId, access: obAccess(['ReadAccountsBasic']) });
      const { verifier, challenge } = TppClient.pkce();
      const state = randomUUID();
      await page.goto(await tpp.fapi1AuthorisationUrl(consent.id, state, randomUUID(), challenge));
      await page.getByLabel('Username').fill(psu.username);
      await page.getByLabel('Password').fill(psu.password);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Use a passkey instead' }).click();
      await page.getByRole('button', { name: 'Approve' }).waitFor();
      await page.getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Approve' }).click();
      const fragment = new URLSearchParams((await landing()).hash.slice(1));
      assert.equal(fragment.get('state'), state);
      const token = await tpp.exchangeCode(fragment.get('code')!, verifier);
      assert.equal(token.status, 200, token.text);
      assert.equal((await consentsOf(app.portico.database.db).find(consent.id))!.status, 'authorised');
      const [passkey] = await psuIdentity.listPasskeys(psuId);
      assert.ok(passkey?.lastUsedAt, 'the passkey use is recorded');
      await context.close();
    });

    it('refuses a passkey assertion replayed for another authorisation (challenge is single-use)', async () => {
      const response = await app.request('/psu/interaction/not-a-session/passkey', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(response.status, 400);
    });
  });
}
