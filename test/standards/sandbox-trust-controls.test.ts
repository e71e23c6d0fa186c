import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, X509Certificate } from 'node:crypto';
import { TEST_REDIS_URL } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { assertMatchesSchema, obSchema } from '../support/openapi.ts';

const errorResponse = obSchema('account-info', 'OBErrorResponse1');

/**
 * DESIGN.md §3 sandbox trust controls, as an outside client uses them: revoke a certificate and
 * change an organisation's status over HTTP; the TPP's next call sees it.
 */
describe('sandbox trust controls (postgres + Redis)', () => {
  let app: TestPortico;
  let tpp: TppClient;
  let token: string;

  before(async () => {
    app = await startTestPortico('postgres', { REDIS_URL: TEST_REDIS_URL });
    tpp = await TppClient.onboard(app, 'Trust Controls Ltd');
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
  const setStatus = (organisationId: string, status: string) =>
    app.request(`/sandbox/v1/organisations/${organisationId}/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) });

  it('Suspended and Withdrawn refuse the TPP on its next call; Active lets it in again', async () => {
    assert.equal((await createConsent()).status, 201);
    for (const status of ['Suspended', 'Withdrawn']) {
      const changed = await setStatus(tpp.tpp.organisationId, status);
      assert.equal(changed.status, 200, changed.text);
      assert.deepEqual(changed.json(), { organisationId: tpp.tpp.organisationId, status });
      const refused = await createConsent();
      assert.equal(refused.status, 403, refused.text);
      assertMatchesSchema(refused.json(), errorResponse);
      assert.deepEqual((await setStatus(tpp.tpp.organisationId, 'Active')).json(), { organisationId: tpp.tpp.organisationId, status: 'Active' });
      assert.equal((await createConsent()).status, 201);
    }
  });

  it('refuses an unknown organisation (404) and a status outside the contract (400), with the OB body', async () => {
    const unknown = await setStatus('NoSuchOrg123', 'Suspended');
    assert.equal(unknown.status, 404, unknown.text);
    assertMatchesSchema(unknown.json(), errorResponse);
    const revoked = await setStatus(tpp.tpp.organisationId, 'Revoked');
    assert.equal(revoked.status, 400, revoked.text);
    assertMatchesSchema(revoked.json(), errorResponse);
    assert.match(revoked.text, /Active, Suspended, Withdrawn/);
  });

  it('a revoked certificate is refused on the next call and listed by the CRL', async () => {
    const revoke = await app.request('/sandbox/v1/certificates/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ certificatePem: tpp.tpp.transport.certificatePem }),
    });
    assert.equal(revoke.status, 200, revoke.text);
    const serial = new X509Certificate(tpp.tpp.transport.certificatePem).serialNumber.toLowerCase();
    assert.deepEqual(revoke.json(), { serialNumber: serial, status: 'Revoked' });
    const refused = await createConsent();
    assert.equal(refused.status, 401, refused.text);
    assertMatchesSchema(refused.json(), errorResponse);
    const crl = await app.request('/directory/v1/crl');
    assert.equal(crl.status, 200);
    assert.ok(crl.body.toString('hex').includes(serial.replace(/^0+/, '')), 'the CRL lists the serial');
  });

  it('refuses a body that is not a certificate with 400 and the OB body', async () => {
    const response = await app.request('/sandbox/v1/certificates/revoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ certificatePem: 'not a certificate' }) });
    assert.equal(response.status, 400, response.text);
    assertMatchesSchema(response.json(), errorResponse);
    assert.match(response.text, /certificatePem must be one PEM certificate/);
  });
});
