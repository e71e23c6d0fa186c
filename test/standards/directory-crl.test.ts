import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { x509 } from '../../src/platform/tls/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { directoryOf } from '../support/directory-module.ts';

for (const dialect of DIALECTS) {
  describe(`the directory CRL (${dialect})`, () => {
    let app: TestPortico;
    before(async () => {
      app = await startTestPortico(dialect);
    });
    after(async () => {
      await app.close();
    });

    async function fetchCrl(): Promise<x509.X509Crl> {
      const response = await app.request('/directory/v1/crl');
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'application/pkix-crl');
      assert.equal(response.headers['cache-control'], 'public, no-cache');
      const crl = new x509.X509Crl(response.body);
      assert.ok(await crl.verify({ publicKey: app.portico.qtsp!.issuingCertificate.publicKey }));
      return crl;
    }

    it('lists a revoked certificate on the next fetch after the revocation', async () => {
      const onboarding = await app.request('/sandbox/v1/tpps', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ organisationName: 'Crl Watchers Ltd', roles: ['AISP'], redirectUris: ['https://tpp.example/callback'] }),
      });
      assert.equal(onboarding.status, 201, onboarding.text);
      const serial = new x509.X509Certificate(onboarding.json<{ transport: { certificatePem: string } }>().transport.certificatePem).serialNumber;

      const before = await fetchCrl();
      assert.ok(!before.entries.some((entry) => entry.serialNumber === serial));
      assert.equal((await fetchCrl()).thisUpdate.getTime(), before.thisUpdate.getTime(), 'served from the cache while nothing changed');

      await directoryOf(app.portico.database.db, app.portico.cache).revokeCertificate(serial, 'keyCompromise');
      const after = await fetchCrl();
      const entry = after.entries.find((candidate) => candidate.serialNumber === serial);
      assert.ok(entry, 'the revoked serial is listed at once');
      assert.equal(entry.reason, x509.X509CrlReason.keyCompromise);
    });
  });
}
