import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runExample } from '../support/run-example.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';

/**
 * examples/berlin-group.mjs against a running sandbox that requires request signatures: onboarding,
 * a consent and a SEPA credit transfer each authorised by the PSU on the bank's pages through their
 * HTML forms, an account read with balances and transactions, and the payment's status. Every
 * request is signed with the QSealC, so a run that passes proves the example signs as the bank checks.
 */
describe('examples/berlin-group.mjs against a running sandbox', () => {
  let app: TestPortico;
  before(async () => {
    app = await startTestPortico('pglite', { XS2A_REQUEST_SIGNATURES: 'required' }, { seedSandbox: true });
  });
  after(async () => {
    await app?.close();
  });

  it('exits 0 after reading the account under the authorised consent and making a payment that settles', async () => {
    const run = await runExample('berlin-group.mjs', app.base, path.join(app.portico.config.dataDir, 'tls', 'sandbox-ca.pem'));
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^ {3}consentStatus: valid$/m, run.stdout);
    assert.equal([...run.stdout.matchAll(/^ {3}scaStatus: finalised$/gm)].length, 2, 'the consent and the payment authorised');
    assert.match(run.stdout, /^ {3}account \S+: .+ [A-Z]{2}\d{2}[A-Z0-9]+ EUR$/m, 'printed the account read');
    assert.match(run.stdout, /^ {3}balance \w+: -?\d+\.\d{2} EUR$/m, 'printed a balance');
    assert.match(run.stdout, /^ {3}booked since: \d{4}-\d{2}-\d{2}: [1-9]\d*$/m, 'read booked transactions');
    // The sandbox scheme settles at once (SANDBOX_SETTLEMENT_DELAY_MS 0).
    assert.match(run.stdout, /^ {3}transactionStatus: ACSC$/m, run.stdout);
  });
});
