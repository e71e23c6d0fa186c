import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { createRegistersModule } from '../../src/modules/directory/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { createHttpsFetch } from '../../src/platform/https-client/index.ts';
import { synchroniseConfiguredRegister } from '../../src/app/register-sync.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { TestDirectory } from '../support/test-directory.ts';
import { TestFcaRegister } from '../support/test-fca-register.ts';
import { launchBrowser } from '../support/browser.ts';
import { authoriseInChromium } from '../support/chromium-consent.ts';
import { AISP, aisGet } from '../support/ais-access.ts';
import { assertObResponse } from '../support/openapi.ts';

/**
 * The whole TPP journey with every production trust check on: a TPP of an Open Banking-style
 * directory (SSA, software JWKS), its certificates checked by OCSP at its QTSP, authorised in the
 * FCA register for the bank's country — DCR, an account-access consent, the PSU in Chromium, the
 * read; then the register withdraws it and its token stops working.
 */
describe('the TPP journey in production trust mode: directory, OCSP, FCA register, PSU in Chromium (postgres)', () => {
  let directory: TestDirectory;
  let fca: TestFcaRegister;
  let app: TestPortico;
  let browser: Browser;
  let psu: SandboxPsuLogin | undefined;
  const fetch = createHttpsFetch({ allowPlainHttp: true });

  before(async () => {
    directory = await TestDirectory.start();
    fca = new TestFcaRegister();
    await fca.start();
    app = await startTestPortico(
      'postgres',
      {
        ...directory.environment,
        ...fca.environment,
      },
      { beforeListen: (portico) => createSandboxModule({ db: portico.database.db }).seed({ customers: 5, months: 1, seed: 5, asOf: new Date() }).then(() => undefined) },
    );
    browser = await launchBrowser(app.portico.tls.certPem);
    [psu] = await createSandboxModule({ db: app.portico.database.db }).listPsus();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await directory?.close();
    await fca?.close();
    await fetch.close();
  });

  it('registers by DCR, the PSU authorises the consent in Chromium, the TPP reads; withdrawn by the register, its token stops working', async () => {
    const onboarded = await directory.onboard('Journey Aggregator Ltd', ['AISP', 'PISP'], [REDIRECT_URI]);
    const frn = directory.organisations.get(onboarded.organisationId)!.organizationIdentifier.replace('PSDGB-FCA-', '');
    fca.firms.set(frn, { status: 'Authorised', permissions: ['Account Information Services', 'Payment Initiation Services'] });
    const registers = createRegistersModule({ db: app.portico.database.db, cache: app.portico.cache });
    await synchroniseConfiguredRegister('FCA', { config: app.portico.config, registers, fetch }, { addFrns: [frn] });
    const tpp = new TppClient(app, onboarded);
    await tpp.register();
    assert.ok(directory.revocationRequests.includes('OCSP'), 'the transport certificate was checked at its QTSP');

    const consentId = await tpp.createAccountAccessConsent(['ReadAccountsDetail', 'ReadBalances']);
    const token = await authoriseInChromium(browser, tpp, consentId, psu!);
    const accounts = await aisGet(tpp, token, 'accounts');
    assert.equal(accounts.status, 200, accounts.text);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, accounts);

    fca.firms.set(frn, { status: 'No longer authorised', permissions: [] });
    await synchroniseConfiguredRegister('FCA', { config: app.portico.config, registers, fetch });
    const refused = await aisGet(tpp, token, 'accounts');
    assert.equal(refused.status, 403, refused.text);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, refused);
  });
});
