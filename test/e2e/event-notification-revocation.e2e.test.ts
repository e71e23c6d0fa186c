import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { consentsOf } from '../support/consents-module.ts';
import { sandboxPsu } from '../support/ais-access.ts';
import { tppSignature } from '../support/pis-access.ts';
import { SetReceiver } from '../support/set-receiver.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { waitFor } from '../support/wait-for.ts';
import type { JSONWebKeySet } from 'jose';

const REVOKED = 'urn:uk:org:openbanking:events:consent-authorization-revoked';

describe('a PSU revoking access in Chromium: the TPP is told at once (PostgreSQL)', () => {
  let app: TestPortico;
  let browser: Browser;
  let tpp: TppClient;
  let receiver: SetReceiver;
  let psu: SandboxPsuLogin;

  before(async () => {
    receiver = await SetReceiver.create();
    app = await startTestPortico('postgres', { EVENTS_PUSH_CA_FILE: receiver.caFile }, { seedSandbox: true });
    browser = await launchBrowser(app.portico.tls.certPem);
    tpp = await TppClient.onboard(app, 'Notified Budgeting Ltd');
    await tpp.register();
    psu = (await createSandboxModule({ db: app.portico.database.db }).listPsus())[2]!;
    const discovery = (await app.request('/.well-known/openid-configuration')).json<{ jwks_uri: string }>();
    const bankJwks = (await app.request(new URL(discovery.jwks_uri).pathname)).json<JSONWebKeySet>();
    await receiver.start({ bankCaPem: app.portico.tls.sandboxCa!.certificatePem, bankJwks, audience: tpp.clientId });
    const body = JSON.stringify({ Data: { CallbackUrl: receiver.callbackUrl, Version: '4.0', EventTypes: [REVOKED] } });
    const subscribed = await tpp.mtls('/open-banking/v4.0/event-subscriptions', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tpp.clientCredentialsToken('accounts')}`,
        'content-type': 'application/json',
        'x-fapi-interaction-id': randomUUID(),
        'x-jws-signature': await tppSignature(tpp, body),
      },
      body,
    });
    assert.equal(subscribed.status, 201, subscribed.text);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await receiver?.stop();
  });

  it("the TPP's endpoint receives consent-authorization-revoked within 2 s of the PSU stopping access in the dashboard", async () => {
    const consentId = await tpp.createAccountAccessConsent(['ReadAccountsBasic']);
    const identity = await sandboxPsu(app, 2);
    await consentsOf(app.portico.database.db).authorise(consentId, { psuId: identity.psuId, partyId: identity.partyId, accountIds: [identity.accountIds[0]!], grantId: randomUUID() });

    const context = await browser.newContext({ ignoreHTTPSErrors: false });
    const dashboard = await context.newPage();
    await dashboard.goto(`${app.base}/psu/login`);
    await dashboard.getByLabel('Username').fill(psu.username);
    await dashboard.getByLabel('Password').fill(psu.password);
    await dashboard.getByRole('button', { name: 'Continue' }).click();
    await dashboard.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date(Date.now() + 30_000)));
    await dashboard.getByRole('button', { name: 'Continue' }).click();
    await dashboard.getByRole('heading', { name: 'Connected apps' }).waitFor();
    await dashboard.getByRole('region', { name: 'Notified Budgeting Ltd', exact: true }).getByRole('button', { name: 'Stop access for Notified Budgeting Ltd' }).click();
    const confirm = dashboard.getByRole('button', { name: 'Stop access', exact: true });
    await confirm.waitFor();
    const stoppedAt = Date.now();
    await confirm.click();
    await dashboard.getByText('Access for Notified Budgeting Ltd has stopped.').waitFor();

    const told = () => receiver.received.find((set) => String(set.claims.sub).endsWith(`/account-access-consents/${consentId}`));
    await waitFor(() => told() !== undefined, 'the revocation pushed to the TPP', 10_000);
    const set = told()!;
    assert.ok(set.receivedAt - stoppedAt < 2000, `received ${set.receivedAt - stoppedAt} ms after the PSU stopped access`);
    const events = set.claims['events'] as Record<string, { subject?: Record<string, unknown> }>;
    assert.deepEqual(Object.keys(events), [REVOKED], 'only the type the TPP subscribed to');
    assert.equal(events[REVOKED]!.subject?.['http://openbanking.org.uk/rid'], consentId, 'alone, the revocation names its consent');
    await context.close();
  });
});
