import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runExample } from '../support/run-example.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';

/**
 * The quickstart in examples/ against a running sandbox: onboarding, DCR, tokens, an AIS consent
 * and a payment approved on the PSU pages through their HTML forms, an account read and a payment.
 * It is a plain Node script outside the test support, so this proves a newcomer's first hour works.
 */
describe('examples/quickstart.mjs against a running sandbox', () => {
  let app: TestPortico;
  before(async () => {
    app = await startTestPortico('pglite', {}, { seedSandbox: true });
  });
  after(async () => {
    await app?.close();
  });

  it('exits 0 after reading the accounts and a balance and making a payment it reports the status of', async () => {
    const run = await runExample('quickstart.mjs', app.base, path.join(app.portico.config.dataDir, 'tls', 'sandbox-ca.pem'));
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /client_id: \S+/);
    assert.match(run.stdout, /^ {3}account \S+: .+ GBP /m, 'printed the account read');
    assert.match(run.stdout, /^ {3}balance \w+: -?\d+\.\d{2} GBP$/m, 'printed a balance');
    // The sandbox scheme settles at once (SANDBOX_SETTLEMENT_DELAY_MS 0): the payee is at another bank.
    assert.match(run.stdout, /^ {3}payment status: ACSC$/m, run.stdout);
  });
});
