import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { PsuAgent } from '../support/psu-agent.ts';

describe('PSU dashboard: log out', () => {
  let app: TestPortico;

  before(async () => {
    app = await startTestPortico('postgres', {}, { seedSandbox: true });
  });
  after(async () => {
    await app?.close();
  });

  it('the Connected apps page logs the PSU out: the session ends and the dashboard asks for a login again', async () => {
    const psu = (await createSandboxModule({ db: app.portico.database.db }).listPsus())[0]!;
    const agent = new PsuAgent(app);
    await agent.go(`${app.base}/psu/login`, { username: psu.username, password: psu.password });
    const dashboard = await agent.go(`${app.base}/psu/login/otp`, { otp: generateTotp(psu.totpSecret, new Date()) });
    assert.equal(agent.location, `${app.base}/psu/access`);
    assert.match(dashboard.text, /<h1>Connected apps<\/h1>/);
    const form = /<form method="post" action="\/psu\/logout"><input type="hidden" name="csrf" value="([^"]+)"><button class="secondary" type="submit">Log out<\/button><\/form>/.exec(dashboard.text);
    assert.ok(form, 'a Log out button on the dashboard');

    const loggedOut = await agent.go(`${app.base}/psu/logout`, { csrf: form[1]! });
    assert.equal(agent.location, `${app.base}/psu/login`);
    assert.match(loggedOut.text, /Log in to continue/);
    await agent.go(`${app.base}/psu/access`);
    assert.equal(agent.location, `${app.base}/psu/login`, 'the dashboard is gone with the session');
  });
});
