import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';

/**
 * The audit trail on the embedded database (`npm start`), which has one connection: verifying
 * reads the bank's keys before its snapshot holds that connection, so it never waits on itself.
 */
describe('audit trail on the embedded database (PGlite)', () => {
  let app: TestPortico;
  before(async () => {
    app = await startTestPortico('pglite');
  });
  after(() => app.close());

  it('records a call, writes it with a signed checkpoint, and verifies the day intact', async () => {
    const refused = await app.request('/open-banking/v4.0/aisp/accounts');
    assert.equal(refused.status, 401);
    await app.portico.audit.flush();
    const { records } = await app.portico.audit.search({ kind: 'api-call' }, 10);
    assert.deepEqual(records.map((r) => [r.action, r.outcome]), [['GET /open-banking/v4.0/aisp/accounts', '401']]);
    const report = await app.portico.audit.verify();
    assert.deepEqual(report.partitions.map((p) => [p.status, p.records, p.checkpoints]), [['intact', 1, 1]]);
    assert.equal(report.ok, true);
  });
});
