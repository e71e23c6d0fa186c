import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { x509 } from '../../src/platform/tls/index.ts';
import { DIALECTS } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { assertMatchesSchema, obSchema } from '../support/openapi.ts';
import { register, type Tpp } from '../support/ob-dcr-client.ts';

const errorResponse = obSchema('account-info', 'OBErrorResponse1');

/** The PSD2 authorisation number the QTSP put in the certificate (organizationIdentifier, 2.5.4.97). */
function organisationIdentifierOf(certificatePem: string): string {
  return new x509.X509Certificate(certificatePem).subjectName.getField('2.5.4.97')[0]!;
}
const json = { 'content-type': 'application/json' };

for (const dialect of DIALECTS) {
  describe(`sandbox TPP onboarding and directory endpoints (${dialect})`, () => {
    let app: TestPortico;
    before(async () => {
      app = await startTestPortico(dialect);
    });
    after(async () => {
      await app.close();
    });

    it('onboards a TPP with the DESIGN.md §3 response, whose SSA verifies with the directory JWKS', async () => {
      const response = await app.request('/sandbox/v1/tpps', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ organisationName: 'Acme Budgeting Ltd', roles: ['AISP', 'PISP'], redirectUris: ['https://tpp.example/callback'] }),
      });
      assert.equal(response.status, 201, response.text);
      interface Onboarded {
        organisationId: string;
        softwareId: string;
        softwareStatement: string;
        transport: { certificatePem: string; privateKeyPem: string };
        signing: { certificatePem: string; privateKeyPem: string; kid: string };
      }
      const tpp = response.json<Onboarded>();
      // The DESIGN.md §3 fields, and the connection details added beside them.
      assert.deepEqual(Object.keys(tpp).sort(), ['messageSigning', 'organisationId', 'registration', 'signing', 'softwareId', 'softwareStatement', 'transport']);
      assert.deepEqual(Object.keys(tpp.transport).sort(), ['certificatePem', 'privateKeyPem']);
      assert.deepEqual(Object.keys(tpp.signing).sort(), ['certificatePem', 'kid', 'privateKeyPem']);
      assert.match(tpp.transport.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
      const transport = new X509Certificate(tpp.transport.certificatePem);
      assert.match(transport.subject, /O=Acme Budgeting Ltd/);
      assert.ok(new x509.X509Certificate(tpp.transport.certificatePem).getExtension('1.3.6.1.5.5.7.1.3'), 'carries QCStatements');

      const directoryJwks = (await app.request('/directory/v1/jwks')).json<JSONWebKeySet>();
      assert.equal(directoryJwks.keys.some((k) => 'd' in k), false, 'public keys only');
      assert.equal(decodeProtectedHeader(tpp.softwareStatement).alg, 'PS256');
      const { payload } = await jwtVerify(tpp.softwareStatement, createLocalJWKSet(directoryJwks));
      assert.equal(payload['org_id'], tpp.organisationId);
      assert.equal(payload['software_id'], tpp.softwareId);
      assert.deepEqual(payload['software_roles'], ['AISP', 'PISP']);
      assert.deepEqual(payload['software_redirect_uris'], ['https://tpp.example/callback']);
      assert.equal(payload['software_jwks_endpoint'], `${app.portico.config.http.publicUrl}/directory/v1/software/${tpp.softwareId}/jwks`);

      const softwareJwks = await app.request(`/directory/v1/software/${tpp.softwareId}/jwks`);
      assert.equal(softwareJwks.status, 200);
      assert.match(String(softwareJwks.headers['content-type']), /^application\/jwk-set\+json/);
      const key = softwareJwks.json<JSONWebKeySet>().keys.find((k) => k.kid === tpp.signing.kid);
      assert.ok(key, 'the signing kid is published at software_jwks_endpoint');
      assert.equal(key!.kty, 'RSA');
    });

    it('gives the registration endpoint, token endpoint, aud, tls_client_auth_subject_dn and the JWS iss and tan to use', async () => {
      const response = await app.request('/sandbox/v1/tpps', {
        method: 'POST',
        headers: json,
        // RFC 4514 §2.4 specials in the name, which becomes the certificate's O.
        body: JSON.stringify({ organisationName: 'Acme, "Pay"+Save <UK>; Ltd', roles: ['PISP'], redirectUris: ['https://tpp.example/callback'] }),
      });
      assert.equal(response.status, 201, response.text);
      const tpp = response.json<{
        organisationId: string;
        softwareId: string;
        softwareStatement: string;
        transport: { certificatePem: string };
        registration: Record<string, string>;
        messageSigning: Record<string, string>;
      }>();
      const base = app.portico.config.http.publicUrl;
      const discovery = (await app.request('/.well-known/openid-configuration')).json<{ registration_endpoint: string; token_endpoint: string; issuer: string }>();
      assert.deepEqual(tpp.registration, {
        registrationEndpoint: discovery.registration_endpoint,
        tokenEndpoint: discovery.token_endpoint,
        aud: discovery.issuer,
        tls_client_auth_subject_dn: `CN=${tpp.softwareId},2.5.4.97=${organisationIdentifierOf(tpp.transport.certificatePem)},O=Acme\\, \\"Pay\\"\\+Save \\<UK\\>\\; Ltd,C=GB`,
      });
      const ssa = decodeJwt(tpp.softwareStatement);
      assert.deepEqual(tpp.messageSigning, { iss: `${String(ssa['org_id'])}/${String(ssa['software_id'])}`, tan: new URL(String(ssa['software_jwks_endpoint'])).host });
      assert.equal(tpp.messageSigning['tan'], new URL(base).host);

      // Taken verbatim, they register the client (OB DCR v3.4, tls_client_auth over mTLS).
      const registered = await register(app, tpp as unknown as Tpp, { aud: tpp.registration['aud'], tls_client_auth_subject_dn: tpp.registration['tls_client_auth_subject_dn'], scope: 'openid payments' });
      assert.equal(registered.status, 201, registered.text);
      assert.equal(registered.json<{ tls_client_auth_subject_dn: string }>().tls_client_auth_subject_dn, tpp.registration['tls_client_auth_subject_dn']);
    });

    for (const [what, body, path] of [
      ['missing roles', { organisationName: 'X', redirectUris: ['https://x.example/cb'] }, 'roles'],
      ['an unknown role', { organisationName: 'X', roles: ['BANK'], redirectUris: ['https://x.example/cb'] }, undefined],
      ['a plain-HTTP redirect URI', { organisationName: 'X', roles: ['AISP'], redirectUris: ['http://x.example/cb'] }, undefined],
      ['an unexpected field', { organisationName: 'X', roles: ['AISP'], redirectUris: ['https://x.example/cb'], admin: true }, undefined],
    ] as const) {
      it(`refuses onboarding with ${what}: 400 and OBErrorResponse1`, async () => {
        const response = await app.request('/sandbox/v1/tpps', { method: 'POST', headers: json, body: JSON.stringify(body) });
        assert.equal(response.status, 400, response.text);
        const error = response.json<{ Errors: Array<{ ErrorCode: string; Path?: string }> }>();
        assertMatchesSchema(error, errorResponse);
        assert.ok(error.Errors.every((e) => ['U002', 'U004', 'U005'].includes(e.ErrorCode)), JSON.stringify(error));
        if (path) assert.ok(error.Errors.some((e) => e.Path === path), JSON.stringify(error));
      });
    }

    it('answers an unknown software id with 404 and no data', async () => {
      const response = await app.request('/directory/v1/software/unknown-software/jwks');
      assert.equal(response.status, 404);
      assertMatchesSchema(response.json(), errorResponse);
    });

    it('publishes the QTSP CRL', async () => {
      const response = await app.request('/directory/v1/crl');
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'application/pkix-crl');
      const crl = new x509.X509Crl(response.body);
      assert.equal(crl.issuer, app.portico.qtsp!.issuingCertificate.subject);
      assert.ok(await crl.verify({ publicKey: app.portico.qtsp!.issuingCertificate.publicKey }));
    });
  });
}
