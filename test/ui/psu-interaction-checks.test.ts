import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { consentsOf } from '../support/consents-module.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { sandboxPsu } from '../support/ais-access.ts';
import { gbpAccount } from '../support/pis-access.ts';
import { PsuAgent } from '../support/psu-agent.ts';
import { obAccess } from '../support/ob-access.ts';

type Psu = SandboxPsuLogin;

const fragmentOf = (agent: PsuAgent) => {
  assert.ok(agent.location.startsWith(REDIRECT_URI), `back at the TPP, not ${agent.location}`);
  return new URLSearchParams(new URL(agent.location).hash.slice(1));
};

describe('PSU authorisation pages over HTTP', () => {
  let app: TestPortico;
  let tpp: TppClient;
  let psus: Psu[];
  const db = () => app.portico.database.db;

  before(async () => {
    app = await startTestPortico('postgres', {}, { seedSandbox: true });
    tpp = await TppClient.onboard(app, 'Checked Requests Ltd');
    await tpp.register();
    psus = await createSandboxModule({ db: db() }).listPsus();
  });
  after(async () => {
    await app?.close();
  });

  const accountConsent = () => consentsOf(db()).create({ kind: 'account-access', clientId: tpp.clientId, access: obAccess(['ReadAccountsBasic']) });
  const paymentConsent = () =>
    consentsOf(db()).create({
      kind: 'domestic-payment',
      clientId: tpp.clientId,
      payment: { amountMinor: 700n, currency: 'GBP', creditorName: 'Shop Ltd', creditorScheme: 'SortCodeAccountNumber', creditorIdentification: '04000412345678', reference: null, debtorAccountId: null },
    });
  const start = async (consentId: string, scope = 'openid accounts') => {
    const agent = new PsuAgent(app);
    const state = randomUUID();
    const url = await tpp.fapi1AuthorisationUrl(consentId, state, randomUUID(), TppClient.pkce().challenge, { scope });
    const page = await agent.go(url.replace('scope=openid+accounts', `scope=${encodeURIComponent(scope).replace(/%20/g, '+')}`));
    return { agent, page, state, interaction: agent.location };
  };

  it('an expired consent goes back to the TPP as expired before the PSU is asked to log in', async () => {
    const consent = await accountConsent();
    await db().updateTable('consents').set({ expires_at: new Date(Date.now() - 60_000) }).where('id', '=', consent.id).execute();
    const { agent, page, state } = await start(consent.id);
    assert.equal(page.status, 303, page.text);
    const fragment = fragmentOf(agent);
    assert.equal(fragment.get('error'), 'access_denied');
    assert.equal(fragment.get('error_description'), 'The consent has expired');
    assert.equal(fragment.get('state'), state);
  });

  it('a consent no longer awaiting authorisation, or unknown, goes back to the TPP at once', async () => {
    const rejected = await accountConsent();
    await consentsOf(db()).reject(rejected.id);
    for (const [consentId, description] of [
      [rejected.id, 'The consent cannot be authorised (already authorised, used, rejected or revoked)'],
      [`aac-${randomUUID()}`, 'The consent is unknown or belongs to another provider'],
    ] as const) {
      const { agent, page, state } = await start(consentId);
      assert.equal(page.status, 303, page.text);
      const fragment = fragmentOf(agent);
      assert.equal(fragment.get('error'), 'access_denied');
      assert.equal(fragment.get('error_description'), description);
      assert.equal(fragment.get('state'), state);
    }
  });

  it('attack: approving a consent after the password alone authorises nothing', async () => {
    const psu = psus[0]!;
    const consent = await accountConsent();
    const { agent, page, interaction } = await start(consent.id);
    assert.match(page.text, /Log in to continue/);
    const codePage = await agent.go(`${interaction}/login`, { username: psu.username, password: psu.password });
    assert.match(codePage.text, /Enter your one-time code/);
    const [account] = (await sandboxPsu(app, 0)).accountIds;
    const approved = await agent.go(`${interaction}/consent`, { decision: 'approve', accounts: account! });
    assert.equal(approved.status, 200);
    assert.equal(agent.location, interaction, 'back to the one-time code step');
    assert.match(approved.text, /Enter your one-time code/);
    assert.equal((await consentsOf(db()).find(consent.id))!.status, 'awaiting-authorisation');
  });

  it('attack: a payment’s one-time code entered away from the amount and payee counts for nothing', async () => {
    const psu = psus[1]!;
    const consent = await paymentConsent();
    const { agent, interaction } = await start(consent.id, 'openid payments');
    const paymentPage = await agent.go(`${interaction}/login`, { username: psu.username, password: psu.password });
    assert.match(paymentPage.text, /Confirm your payment/);
    // The code posted to the plain second-factor step: ignored, the PSU is sent back to the payment screen.
    const ignored = await agent.go(`${interaction}/otp`, { otp: generateTotp(psu.totpSecret, new Date()) });
    assert.match(ignored.text, /Confirm your payment/);
    const binding = /name="binding" value="([^"]+)"/.exec(ignored.text)?.[1];
    assert.ok(binding);
    const account = (await gbpAccount(app, await sandboxPsu(app, 1))).id;
    const approved = await agent.go(`${interaction}/consent`, { decision: 'approve', accounts: account, binding });
    assert.equal(approved.status, 200);
    assert.match(approved.text, /role="alert"/, 'the payment screen again, with an error');
    assert.ok((approved.text.match(/name="accounts"/g) ?? []).length >= 2, 'the PSU has more than one account to choose from');
    assert.match(approved.text, new RegExp(`value="${account}" checked`), 'the chosen account stays chosen');
    assert.equal((await consentsOf(db()).find(consent.id))!.status, 'awaiting-authorisation');
  });

  it('attack: a field given twice (two one-time codes, two bindings, two decisions) is refused with a 400 page, never a 500, and authorises nothing', async () => {
    const psu = psus[2]!;
    const consent = await paymentConsent();
    const { agent, interaction } = await start(consent.id, 'openid payments');
    const paymentPage = await agent.go(`${interaction}/login`, { username: psu.username, password: psu.password });
    const binding = /name="binding" value="([^"]+)"/.exec(paymentPage.text)?.[1];
    assert.ok(binding);
    const account = (await gbpAccount(app, await sandboxPsu(app, 2))).id;
    const code = generateTotp(psu.totpSecret, new Date());
    const forms: Array<Array<[string, string]>> = [
      [['decision', 'approve'], ['accounts', account], ['binding', binding], ['otp', code], ['otp', '000000']],
      [['decision', 'approve'], ['accounts', account], ['binding', binding], ['binding', binding], ['otp', code]],
      [['decision', 'approve'], ['decision', 'approve'], ['accounts', account], ['binding', binding], ['otp', code]],
    ];
    for (const form of forms) {
      const answer = await agent.go(`${interaction}/consent`, new URLSearchParams(form));
      assert.deepEqual([form.map(([name]) => name).join(','), answer.status, /role="alert"[^>]*>([^<]*)</.exec(answer.text)?.[1]], [form.map(([name]) => name).join(','), 400, 'This request could not be read: a field is given more than once.']);
    }
    assert.equal((await consentsOf(db()).find(consent.id))!.status, 'awaiting-authorisation');
    // The same page, each field once, goes on as before: the accounts, a list, may be given several times.
    const approved = await agent.go(`${interaction}/consent`, new URLSearchParams([['decision', 'approve'], ['accounts', account], ['binding', binding], ['otp', code]]));
    assert.notEqual(approved.status, 400);
  });
});
