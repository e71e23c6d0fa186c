import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, X509Certificate } from 'node:crypto';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { assertMatchesSchema, obSchema } from '../support/openapi.ts';
import { directoryOf } from '../support/directory-module.ts';

const errorResponse = obSchema('account-info', 'OBErrorResponse1');

for (const dialect of DIALECTS) {
  describe(`TPP certificate checked against the directory on every OB call (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let token: string;

    before(async () => {
      app = await startTestPortico(dialect);
      tpp = await TppClient.onboard(app, 'Checked Every Time Ltd');
      await tpp.register();
      token = await tpp.clientCredentialsToken('accounts');
    });
    after(async () => {
      await app?.close();
    });

    const createConsent = () =>
      tpp.mtls('/open-banking/v4.0/aisp/account-access-consents', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() },
        body: JSON.stringify({ Data: { Permissions: ['ReadAccountsBasic'] }, Risk: {} }),
      });

    it('suspended organisation: its next call is refused with a token it already holds, and works again once reinstated', async () => {
      assert.equal((await createConsent()).status, 201);
      await directoryOf(app.portico.database.db, app.portico.cache).setOrganisationStatus(tpp.tpp.organisationId, 'Suspended');
      const refused = await createConsent();
      assert.equal(refused.status, 403, refused.text);
      assertMatchesSchema(refused.json(), errorResponse);
      await directoryOf(app.portico.database.db, app.portico.cache).setOrganisationStatus(tpp.tpp.organisationId, 'Active');
      assert.equal((await createConsent()).status, 201);
    });

    it('revoked transport certificate: its next call is refused', async () => {
      const serial = new X509Certificate(tpp.tpp.transport.certificatePem).serialNumber.toLowerCase();
      await directoryOf(app.portico.database.db, app.portico.cache).revokeCertificate(serial, 'keyCompromise');
      const refused = await createConsent();
      assert.equal(refused.status, 401, refused.text);
      assertMatchesSchema(refused.json(), errorResponse);
    });
  });
}
