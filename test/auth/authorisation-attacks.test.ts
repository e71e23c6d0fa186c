import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8, UnsecuredJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { consentsOf } from '../support/consents-module.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { launchBrowser, tppContext } from '../support/browser.ts';
import { obAccess } from '../support/ob-access.ts';

/** Where the authorisation endpoint sent the browser (no redirect followed). */
function redirectOf(location: string | undefined): URL {
  assert.ok(location, 'a redirect');
  return new URL(location);
}

for (const dialect of DIALECTS) {
  describe(`authorisation attacks (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let browser: Browser;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await TppClient.onboard(app, 'Attack Target Ltd');
      await tpp.register();
      browser = await launchBrowser(app.portico.tls.certPem);
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    const consent = () => consentsOf(app.portico.database.db).create({ kind: 'account-access', clientId: tpp.clientId, access: obAccess(['ReadAccountsBasic']) });
    const authorise = async (url: string) => app.request(url.replace(app.base, ''));

    const signedRequestObject = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => {
      const key = await importPKCS8(tpp.tpp.signing.privateKeyPem, 'PS256');
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: tpp.clientId, aud: app.base, client_id: tpp.clientId, response_type: 'code id_token', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: 's', nonce: 'n', code_challenge: TppClient.pkce().challenge, code_challenge_method: 'S256', nbf: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'PS256', kid: tpp.tpp.signing.kid, ...header })
        .sign(key);
    };
    const authWith = (request: string) =>
      authorise(`${app.base}/auth?${new URLSearchParams({ client_id: tpp.clientId, response_type: 'code id_token', scope: 'openid accounts', redirect_uri: REDIRECT_URI, request })}`);

    it('request object with alg none: refused, error returned to the registered redirect URI', async () => {
      const now = Math.floor(Date.now() / 1000);
      const unsigned = new UnsecuredJWT({ iss: tpp.clientId, aud: app.base, client_id: tpp.clientId, response_type: 'code id_token', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: 's', nonce: 'n', nbf: now, exp: now + 300 }).encode();
      const response = await authWith(unsigned);
      assert.ok([302, 303].includes(response.status), response.text);
      const target = redirectOf(response.headers.location);
      assert.equal(`${target.origin}${target.pathname}`, REDIRECT_URI);
      const fragment = new URLSearchParams(target.hash.slice(1));
      assert.match(String(fragment.get('error')), /^invalid_request(_object)?$/);
      assert.equal(fragment.get('code'), null);
    });

    it('request object with a wrong audience: refused', async () => {
      const response = await authWith(await signedRequestObject({ aud: 'https://another-bank.example' }));
      const target = redirectOf(response.headers.location);
      assert.equal(`${target.origin}${target.pathname}`, REDIRECT_URI);
      assert.match(String(new URLSearchParams(target.hash.slice(1)).get('error')), /^invalid_request(_object)?$/);
    });

    it('request object signed by a key the TPP does not own: refused', async () => {
      const other = await TppClient.onboard(app, 'Other Signer Ltd');
      const key = await importPKCS8(other.tpp.signing.privateKeyPem, 'PS256');
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({ iss: tpp.clientId, aud: app.base, client_id: tpp.clientId, response_type: 'code id_token', redirect_uri: REDIRECT_URI, scope: 'openid accounts', state: 's', nonce: 'n', nbf: now, exp: now + 300 })
        .setProtectedHeader({ alg: 'PS256', kid: other.tpp.signing.kid })
        .sign(key);
      const response = await authWith(forged);
      const target = redirectOf(response.headers.location);
      assert.match(String(new URLSearchParams(target.hash.slice(1)).get('error')), /^invalid_request(_object)?$/);
    });

    it('redirect URI not registered: a bank error page, never a redirect to the attacker', async () => {
      const request = await signedRequestObject({ redirect_uri: 'https://attacker.example/steal' });
      const response = await authorise(
        `${app.base}/auth?${new URLSearchParams({ client_id: tpp.clientId, response_type: 'code id_token', scope: 'openid accounts', redirect_uri: 'https://attacker.example/steal', request })}`,
      );
      assert.equal(response.status, 400);
      assert.equal(response.headers.location, undefined);
      assert.doesNotMatch(response.text, /attacker\.example/);
    });

    it('replayed authorisation code: the second exchange fails and the first tokens are revoked', async () => {
      const psu = (await createSandboxModule({ db: app.portico.database.db }).listPsus())[6]!;
      const staged = await consent();
      const { verifier, challenge } = TppClient.pkce();
      const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
      await page.goto(await tpp.fapi1AuthorisationUrl(staged.id, randomUUID(), randomUUID(), challenge));
      await page.getByLabel('Username').fill(psu.username);
      await page.getByLabel('Password').fill(psu.password);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Approve' }).click();
      const code = new URLSearchParams((await landing()).hash.slice(1)).get('code')!;
      await context.close();

      const first = await tpp.exchangeCode(code, verifier);
      assert.equal(first.status, 200, first.text);
      const replay = await tpp.exchangeCode(code, verifier);
      assert.equal(replay.status, 400);
      assert.equal(replay.json<{ error: string }>().error, 'invalid_grant');
      // RFC 6749 §4.1.2: tokens issued from a code used twice should be revoked.
      const introspection = await tpp.mtls('/token/introspection', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: first.json<{ access_token: string }>().access_token, client_id: tpp.clientId }).toString(),
      });
      assert.equal(introspection.json<{ active: boolean }>().active, false);
    });

    it('authorisation code presented without the PKCE verifier or by another TPP: refused', async () => {
      const response = await tpp.exchangeCode('not-a-real-code', 'wrong-verifier-wrong-verifier-wrong-verifier-123');
      assert.equal(response.status, 400);
      assert.equal(response.json<{ error: string }>().error, 'invalid_grant');
    });
  });
}
