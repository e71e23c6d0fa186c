import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { registerClient as registerAuthorizationServerClient } from '../../src/auth/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { onboard, register, registerClient, tokenRequest, type Tpp } from '../support/ob-dcr-client.ts';
import { issueClientCertificate } from '../support/test-certificates.ts';
import { directoryOf } from '../support/directory-module.ts';

/**
 * Sandbox mode: the authorisation server trusts a client certificate only when the directory
 * accepts it on that very request (certificate-trust.ts), since oidc-provider's own hook is synchronous.
 */
for (const dialect of DIALECTS) {
  describe(`authorisation server trusts what the directory trusts, per request (${dialect})`, () => {
    let app: TestPortico;
    before(async () => {
      app = await startTestPortico(dialect);
    });
    after(async () => {
      await app?.close();
    });

    const registerBoth = async (tpp: Tpp) => ({
      tls: (await registerClient(app, tpp)).client_id,
      privateKeyJwt: (await registerClient(app, tpp, { token_endpoint_auth_method: 'private_key_jwt', tls_client_auth_subject_dn: undefined })).client_id,
    });
    const tokenStatuses = async (tpp: Tpp, clients: { tls: string; privateKeyJwt: string }) => [
      (await tokenRequest(app, tpp, clients.tls)).status,
      (await tokenRequest(app, tpp, clients.privateKeyJwt, { privateKeyJwtAudience: app.portico.config.http.publicUrl })).status,
    ];

    it('revoked transport certificate: token requests and registration both fail at once', async () => {
      const tpp = await onboard(app, 'Revoked Certificate Ltd');
      const clients = await registerBoth(tpp);
      assert.deepEqual(await tokenStatuses(tpp, clients), [200, 200]);

      await directoryOf(app.portico.database.db, app.portico.cache).revokeCertificate(new X509Certificate(tpp.transport.certificatePem).serialNumber, 'keyCompromise');

      const tls = await tokenRequest(app, tpp, clients.tls);
      assert.equal(tls.status, 401, tls.text);
      assert.equal(tls.json<{ error: string }>().error, 'invalid_client');
      // private_key_jwt still authenticates, but the token cannot be bound to a refused certificate.
      const privateKeyJwt = await tokenRequest(app, tpp, clients.privateKeyJwt, { privateKeyJwtAudience: app.portico.config.http.publicUrl });
      assert.equal(privateKeyJwt.status, 400, privateKeyJwt.text);
      assert.equal(privateKeyJwt.json<{ error: string }>().error, 'invalid_grant');
      const registration = await register(app, tpp);
      assert.equal(registration.status, 401, registration.text);
      assert.equal(registration.json<{ error: string }>().error, 'invalid_client');
    });

    it('suspended organisation: token requests fail, and work again once it is Active', async () => {
      const tpp = await onboard(app, 'Suspended Payments Ltd');
      const clients = await registerBoth(tpp);
      assert.deepEqual(await tokenStatuses(tpp, clients), [200, 200]);

      await directoryOf(app.portico.database.db, app.portico.cache).setOrganisationStatus(tpp.organisationId, 'Suspended');
      const [tls, privateKeyJwt] = await tokenStatuses(tpp, clients);
      assert.equal(tls, 401);
      assert.equal(privateKeyJwt, 400, 'private_key_jwt authenticates, but no token binds to a refused certificate');
      assert.equal((await register(app, tpp)).status, 403, 'a suspended organisation may not register either');

      await directoryOf(app.portico.database.db, app.portico.cache).setOrganisationStatus(tpp.organisationId, 'Active');
      assert.deepEqual(await tokenStatuses(tpp, clients), [200, 200]);
    });

    it('a certificate that chains at the handshake but that the directory does not know: refused (attack: server-CA look-alike)', async () => {
      // Outside sandbox mode a handshake-verified chain is enough; here only the directory decides.
      const stranger = await issueClientCertificate(app.portico.tls.sandboxCa, 'look-alike');
      await registerAuthorizationServerClient(app.portico.authorizationServer, {
        client_id: 'look-alike',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: 'CN=look-alike,O=Test TPP,C=GB',
        scope: 'accounts',
      });
      const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'accounts', client_id: 'look-alike' }).toString();
      const response = await app.request('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, cert: stranger.certPem, key: stranger.keyPem });
      assert.equal(response.status, 401, response.text);
      assert.equal(response.json<{ error: string }>().error, 'invalid_client');
    });
  });
}
