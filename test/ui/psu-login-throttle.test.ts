import { describe, it, before, after } from 'node:test';
import { randomInt } from 'node:crypto';
import assert from 'node:assert/strict';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { DIALECTS, TEST_REDIS_URL, uniqueName } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import type { HttpsResponse } from '../support/https-client.ts';

type Psu = SandboxPsuLogin;

/** The text of the page's alert, tags dropped. */
const alertOf = (page: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(page)?.[1];

/**
 * PSU login throttling on the wire (the PSU's own login pages; the authorisation journey's pages
 * use the same use cases and the same 429 page). Behind a trusted proxy, so each test chooses the
 * client address through X-Forwarded-For.
 */
for (const dialect of DIALECTS) {
  describe(`PSU login throttling over HTTP (${dialect}, ${dialect === 'postgres' ? 'Redis' : 'memory cache'})`, () => {
    let app: TestPortico;
    let psus: Psu[];
    // Addresses of this run only: Redis keeps the counts of earlier runs for an hour.
    const run = `10.${randomInt(256)}.${randomInt(256)}`;
    let address = 0;
    const newAddress = () => `${run}.${++address}`;

    before(async () => {
      app = await startTestPortico(dialect, { TRUST_PROXY: '127.0.0.1', ...(dialect === 'postgres' ? { REDIS_URL: TEST_REDIS_URL } : {}) });
      // A bank of this run's own (the seed decides names and ids): Redis keeps earlier runs' counts for an hour.
      await createSandboxModule({ db: app.portico.database.db }).seed({ customers: 5, months: 1, seed: randomInt(1_000_000), asOf: new Date('2026-01-31T12:00:00Z') });
      psus = await createSandboxModule({ db: app.portico.database.db }).listPsus();
    });
    after(async () => {
      await app?.close();
    });

    const post = (pathname: string, from: string, form: Record<string, string>, cookie?: string): Promise<HttpsResponse> =>
      app.request(pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from, ...(cookie ? { cookie } : {}) },
        body: new URLSearchParams(form).toString(),
      });
    const logIn = (from: string, username: string, password: string) => post('/psu/login', from, { username, password });

    /** 429, an HTML page saying how long to wait, `Retry-After` the same (the wait began when the last counted attempt was admitted). */
    const assertThrottledPage = (response: HttpsResponse, atMostSeconds: number) => {
      assert.equal(response.status, 429, response.text);
      const seconds = Number(response.headers['retry-after']);
      assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= atMostSeconds, `Retry-After ${response.headers['retry-after']}`);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.equal(alertOf(response.text), `Too many attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`);
    };
    /** The wait, which differs by when each attempt was made, left out. */
    const withoutWait = (text: string) => text.replace(/Try again in \d+ seconds?/, 'Try again in N seconds');

    it('attack: five wrong passwords from one source do not lock the PSU out from another source', async () => {
      const psu = psus[0]!;
      const attacker = newAddress();
      for (let i = 0; i < 5; i++) {
        const wrong = await logIn(attacker, psu.username, `guess-${i}`);
        assert.equal(wrong.status, 401);
        assert.equal(alertOf(wrong.text), 'The username or password is not correct');
      }
      assertThrottledPage(await logIn(attacker, psu.username, psu.password), 30);

      const home = newAddress();
      const password = await logIn(home, psu.username, psu.password);
      assert.equal(password.status, 303, password.text);
      assert.equal(password.headers.location, '/psu/login/otp');
      const cookie = String(password.headers['set-cookie']?.[0]).split(';')[0]!;
      const code = await post('/psu/login/otp', home, { otp: generateTotp(psu.totpSecret, new Date()) }, cookie);
      assert.equal(code.status, 303, code.text);
      assert.equal(code.headers.location, '/psu/access');
    });

    it('attack: unknown username and wrong password give the same answer', async () => {
      const known = psus[1]!.username;
      const unknown = uniqueName('nobody').toLowerCase();
      for (let i = 0; i < 6; i++) {
        const wrong = await logIn(`${run}.201`, known, 'not-it');
        const missing = await logIn(`${run}.202`, unknown, 'not-it');
        assert.equal(missing.status, wrong.status);
        assert.equal(missing.headers['retry-after'] === undefined, wrong.headers['retry-after'] === undefined);
        // The form echoes the username typed; everything else is the same page.
        assert.equal(withoutWait(missing.text.replace(unknown, 'USERNAME')), withoutWait(wrong.text.replace(known, 'USERNAME')));
        if (i < 5) assert.equal(wrong.status, 401);
        else assertThrottledPage(wrong, 30);
      }
    });

    it('attack: one-time code brute force is throttled', async () => {
      const psu = psus[2]!;
      const from = newAddress();
      const password = await logIn(from, psu.username, psu.password);
      assert.equal(password.status, 303, password.text);
      const cookie = String(password.headers['set-cookie']?.[0]).split(';')[0]!;
      const current = generateTotp(psu.totpSecret, new Date());
      for (let i = 0; i < 5; i++) {
        const guess = String(100000 + i) === current ? '999999' : String(100000 + i);
        const wrong = await post('/psu/login/otp', from, { otp: guess }, cookie);
        assert.equal(wrong.status, 401);
        assert.equal(alertOf(wrong.text), 'The one-time code is not correct');
      }
      const throttled = await post('/psu/login/otp', from, { otp: current }, cookie);
      assertThrottledPage(throttled, 30);
      assert.match(throttled.text, /<label for="otp">One-time code<\/label>/, 'the code form stays, to try again later');
    });
  });
}
