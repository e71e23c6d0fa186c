import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { consentsOf } from '../support/consents-module.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import type { HttpsResponse } from '../support/https-client.ts';
import { obAccess } from '../support/ob-access.ts';

/** The text of an HTML fragment, tags dropped and whitespace collapsed. */
const text = (fragment: string) => fragment.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/** The dashboard's "History" section, or undefined. */
const historyOf = (page: string) => {
  const start = page.indexOf('<section class="history"');
  return start < 0 ? undefined : page.slice(start, page.indexOf('<p><a href="/psu/security">', start));
};

/**
 * The access dashboard's history over plain HTTP: account access that has ended — stopped by the
 * PSU, cancelled by the provider (its DELETE), or past its expiry — leaves the current list and is
 * kept with what it could see, the accounts, when it ended and why. Nothing can be stopped twice.
 */
for (const dialect of DIALECTS) {
  describe(`PSU access dashboard: history of ended access (${dialect})`, () => {
    let app: TestPortico;
    let cookie = '';
    const ids: Record<'active' | 'mine' | 'provider' | 'expired', string> = { active: '', mine: '', provider: '', expired: '' };
    const db = () => app.portico.database.db;

    const form = (pathname: string, fields: Record<string, string>) =>
      app.request(pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        body: new URLSearchParams(fields).toString(),
      });
    const sessionCookieOf = (response: HttpsResponse) => {
      const set = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('portico_psu=') && !c.startsWith('portico_psu=;'));
      assert.ok(set, `a session cookie: ${JSON.stringify(response.headers['set-cookie'])}`);
      return set.split(';')[0]!;
    };

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      const psu = (await createSandboxModule({ db: db() }).listPsus())[0]!;
      const user = await db().selectFrom('psu_users').select(['id', 'party_id']).where('username', '=', psu.username).executeTakeFirstOrThrow();
      const account = await db().selectFrom('bank_account_holders').select('account_id').where('party_id', '=', user.party_id).executeTakeFirstOrThrow();
      // Four account-access consents the PSU authorised (authorised directly: the browser journey is test/e2e).
      const authorised = async (permissions: string[], expiresAt?: Date) => {
        const consent = await consentsOf(db()).create({ kind: 'account-access', clientId: 'history-client', access: obAccess(permissions), expiresAt });
        await db()
          .updateTable('consents')
          .set({ status: 'authorised', psu_id: user.id, party_id: user.party_id, account_ids: JSON.stringify([account.account_id]), authorised_at: new Date(), status_updated_at: new Date() })
          .where('id', '=', consent.id)
          .execute();
        return consent.id;
      };
      ids.active = await authorised(['ReadAccountsBasic']);
      ids.mine = await authorised(['ReadBalances']);
      ids.provider = await authorised(['ReadTransactionsBasic', 'ReadTransactionsCredits', 'ReadTransactionsDebits']);
      ids.expired = await authorised(['ReadBeneficiariesBasic'], new Date(Date.now() + 60_000));
      await consentsOf(db(), app.portico.cache).revoke(ids.provider, 'TPP');
      // Past its expiry without any job touching it: it reads as Expired.
      await db().updateTable('consents').set({ expires_at: new Date(Date.now() - 60_000) }).where('id', '=', ids.expired).execute();

      const login = await form('/psu/login', { username: psu.username, password: psu.password });
      assert.equal(login.status, 303, login.text);
      cookie = sessionCookieOf(login);
      const otp = await form('/psu/login/otp', { otp: generateTotp(psu.totpSecret, new Date()) });
      assert.equal(otp.status, 303, otp.text);
      cookie = sessionCookieOf(otp);
    });
    after(async () => {
      await app?.close();
    });

    it('the PSU stops one after confirming; the history lists it, the provider’s cancellation and the expired one, with why', async () => {
      const dashboard = await app.request('/psu/access', { headers: { cookie } });
      assert.equal(dashboard.status, 200, dashboard.text);
      const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(dashboard.text)![1]!;
      for (const id of Object.values(ids)) {
        const current = dashboard.text.includes(`/psu/access/${id}/stop`);
        assert.equal(current, id === ids.active || id === ids.mine, `only active access can be stopped (${id})`);
      }
      assert.match(text(dashboard.text), /Accounts \S.* (Current|Savings) account · \d\d-\d\d-\d\d · ending ••••\d{4} Since/, 'accounts by name, type and masked number');

      const confirm = await app.request(`/psu/access/${ids.mine}/stop`, { headers: { cookie } });
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /<h1>Stop access for A provider\?<\/h1>/);
      const stopped = await form(`/psu/access/${ids.mine}/revoke`, { csrf, decision: 'stop' });
      assert.equal(stopped.status, 200, stopped.text);
      assert.match(stopped.text, /Access for A provider has stopped\./);

      const history = historyOf(stopped.text);
      assert.ok(history, stopped.text);
      const entries = history.split('<section class="access ended"').slice(1).map(text);
      assert.equal(entries.length, 3, history);
      const entryWith = (permission: string) => entries.find((entry) => entry.includes(permission));
      assert.match(entryWith('Your account balances') ?? '', /Why Stopped by you$/);
      assert.match(entryWith('transactions') ?? '', /Why Cancelled by the provider$/i);
      assert.match(entryWith('people and businesses you pay') ?? '', /Why Expired$/);
      for (const entry of entries) assert.match(entry, /^aria-label="Account access by A provider"> Account access by A provider Could see .* Accounts .* Allowed .* Ended .* Why/);
    });

    it('an ended consent cannot be stopped again and has no confirmation page', async () => {
      const again = await app.request(`/psu/access/${ids.expired}/stop`, { headers: { cookie } });
      assert.equal(again.status, 303);
      assert.equal(again.headers.location, '/psu/access');
    });
  });
}
