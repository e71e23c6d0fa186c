import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../support/backends.ts';
import { assertMatchesSchema } from '../../support/openapi.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import {
  OTHER_REDIRECT_URI,
  REDIRECT_URI,
  accessToken,
  assertRegistrationError,
  manage,
  onboard,
  register,
  registerClient,
  registrationClaims,
  registrationResponse,
  signJwt,
  subjectDnOf,
  tokenRequest,
  type Registration,
  type Tpp,
} from '../../support/ob-dcr-client.ts';

for (const dialect of DIALECTS) {
  describe(`OB DCR v3.4 client registration (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Tpp;
    let issuer: string;
    before(async () => {
      app = await startTestPortico(dialect);
      issuer = app.portico.config.http.publicUrl;
      tpp = await onboard(app, 'Acme Budgeting Ltd');
    });
    after(async () => {
      await app?.close();
    });

    it('advertises the registration endpoint in discovery (DESIGN.md §3)', async () => {
      const discovery = (await app.request('/.well-known/openid-configuration')).json<Record<string, unknown>>();
      assert.equal(discovery['registration_endpoint'], `${issuer}/register`);
      assert.deepEqual(discovery['claim_types_supported'], ['normal'], "oidc-provider's other discovery defaults stay");
    });

    it('registers a tls_client_auth client from a signed request over mTLS, which then gets a bound token', async () => {
      const registration = await registerClient(app, tpp);
      assert.match(registration.client_id, /^[A-Za-z0-9_-]{32}$/, 'random and unguessable (192 bits)');
      assert.ok(Math.abs(registration.client_id_issued_at - Date.now() / 1000) < 60);
      assert.equal(registration.software_id, tpp.softwareId);
      assert.equal(registration['iss'], tpp.softwareId);
      assert.equal(registration['aud'], app.portico.config.aspsp.organisationId);
      assert.equal(registration['software_statement'], tpp.softwareStatement);
      assert.equal(registration['tls_client_auth_subject_dn'], subjectDnOf(tpp.transport.certificatePem));
      assert.deepEqual(registration.redirect_uris, [REDIRECT_URI]);
      assert.deepEqual(registration.grant_types, ['authorization_code', 'refresh_token', 'client_credentials']);
      assert.deepEqual(registration.response_types, ['code id_token']);
      assert.equal(registration.scope, 'openid accounts payments');
      assert.equal(registration.fapi_profile, '1.0 Final');
      assert.equal(registration.jwks_uri, `${issuer}/directory/v1/software/${tpp.softwareId}/jwks`);

      const token = await tokenRequest(app, tpp, registration.client_id);
      assert.equal(token.status, 200, token.text);
      const stored = await app.portico.database.db.selectFrom('oidc_payloads').select('payload').where('kind', '=', 'Client').where('id', '=', registration.client_id).executeTakeFirstOrThrow();
      const metadata = stored.payload;
      assert.equal(metadata['org_id'], tpp.organisationId);
      assert.deepEqual(metadata['software_roles'], ['AISP', 'PISP']);
      assert.equal(metadata['jwks_uri'], undefined, 'keys are inline: oidc-provider would not fetch from this platform on loopback');
      assert.deepEqual((metadata['jwks'] as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid), [tpp.signing.kid]);
      assert.equal(metadata['tls_client_certificate_bound_access_tokens'], true);
      assert.equal(metadata['require_signed_request_object'], true);
    });

    it('registers a private_key_jwt client whose assertions may name the issuer or the token endpoint as aud (DESIGN.md §3)', async () => {
      const registration = await registerClient(app, tpp, { token_endpoint_auth_method: 'private_key_jwt', tls_client_auth_subject_dn: undefined, token_endpoint_auth_signing_alg: 'PS256' });
      assert.equal(registration.token_endpoint_auth_method, 'private_key_jwt');
      assert.equal(registration['tls_client_auth_subject_dn'], undefined);
      for (const audience of [issuer, `${issuer}/token`]) {
        const token = await tokenRequest(app, tpp, registration.client_id, { privateKeyJwtAudience: audience });
        assert.equal(token.status, 200, `aud ${audience}: ${token.text}`);
      }
      const withoutAssertion = await tokenRequest(app, tpp, registration.client_id);
      assert.equal(withoutAssertion.status, 401, 'mTLS alone does not authenticate a private_key_jwt client');
    });

    it("accepts the bank's directory org_id as aud, and application/jwt and application/json bodies", async () => {
      const orgId = app.portico.config.aspsp.organisationId!;
      assert.equal((await register(app, tpp, { aud: orgId })).status, 201);
      assert.equal((await register(app, tpp, {}, { contentType: 'application/jwt' })).status, 201);
      const jwt = await signJwt(registrationClaims(app, tpp), tpp.signing);
      const asJsonString = await register(app, tpp, {}, { jwt: JSON.stringify(jwt), contentType: 'application/json' });
      assert.equal(asJsonString.status, 201, asJsonString.text);
    });

    it('reads, updates and deletes the registration with a client-credentials token (RFC 7592)', async () => {
      const registration = await registerClient(app, tpp);
      const token = await accessToken(app, tpp, registration.client_id);

      const read = await manage(app, tpp, 'GET', registration.client_id, token);
      assert.equal(read.status, 200, read.text);
      assertMatchesSchema(read.json(), registrationResponse);
      assert.equal(read.json<Registration>().client_id, registration.client_id);
      assert.deepEqual(read.json<Registration>().redirect_uris, [REDIRECT_URI]);

      const update = await signJwt(registrationClaims(app, tpp, { redirect_uris: [OTHER_REDIRECT_URI], scope: 'openid accounts' }), tpp.signing);
      const updated = await manage(app, tpp, 'PUT', registration.client_id, token, update);
      assert.equal(updated.status, 200, updated.text);
      assertMatchesSchema(updated.json(), registrationResponse);
      const after = updated.json<Registration>();
      assert.equal(after.client_id, registration.client_id);
      assert.equal(after.client_id_issued_at, registration.client_id_issued_at);
      assert.deepEqual(after.redirect_uris, [OTHER_REDIRECT_URI]);
      assert.equal(after.scope, 'openid accounts');
      assert.deepEqual((await manage(app, tpp, 'GET', registration.client_id, token)).json<Registration>().redirect_uris, [OTHER_REDIRECT_URI]);

      const deleted = await manage(app, tpp, 'DELETE', registration.client_id, token);
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal(deleted.text, '');
      const tokenAfter = await tokenRequest(app, tpp, registration.client_id);
      assert.equal(tokenAfter.status, 401, tokenAfter.text);
      assert.equal(tokenAfter.json<{ error: string }>().error, 'invalid_client');
      const readAfter = await manage(app, tpp, 'GET', registration.client_id, token);
      assert.equal(readAfter.status, 401, 'the token went with the client (RFC 7592 §2.3)');
      assert.match(String(readAfter.headers['www-authenticate']), /^Bearer /);
    });

    it('registers a FAPI 2.0 client: PAR required, signed request objects not (fapi_profile extension)', async () => {
      const registration = await registerClient(app, tpp, { fapi_profile: '2.0', response_types: ['code'] });
      assert.equal(registration.fapi_profile, '2.0');
      assert.deepEqual(registration.response_types, ['code']);
      const stored = await app.portico.database.db.selectFrom('oidc_payloads').select('payload').where('kind', '=', 'Client').where('id', '=', registration.client_id).executeTakeFirstOrThrow();
      assert.equal(stored.payload['require_pushed_authorization_requests'], true);
      assert.equal(stored.payload['require_signed_request_object'], false);
      assertRegistrationError(await register(app, tpp, { fapi_profile: '2.0', response_types: ['code id_token'] }), 'invalid_client_metadata');
    });

    it('registers a client-credentials-only client without redirect URIs', async () => {
      const registration = await registerClient(app, tpp, { grant_types: ['client_credentials'], response_types: undefined, redirect_uris: undefined, scope: 'accounts' });
      assert.deepEqual(registration.response_types, []);
      assert.deepEqual(registration.redirect_uris, []);
      assert.equal((await tokenRequest(app, tpp, registration.client_id)).status, 200);
    });

    it('refuses a replayed registration request (same jti, RFC 7519 §4.1.7)', async () => {
      const jwt = await signJwt(registrationClaims(app, tpp), tpp.signing);
      assert.equal((await register(app, tpp, {}, { jwt })).status, 201);
      assertRegistrationError(await register(app, tpp, {}, { jwt }), 'invalid_client_metadata');
    });

    for (const [what, overrides, error] of [
      ['redirect_uris that is not an array', { redirect_uris: REDIRECT_URI }, 'invalid_redirect_uri'],
      ['a numeric scope', { scope: 42 }, 'invalid_client_metadata'],
      ['a missing scope', { scope: undefined }, 'invalid_client_metadata'],
      ['grant_types as a string', { grant_types: 'client_credentials' }, 'invalid_client_metadata'],
      ['an unsupported grant type', { grant_types: ['password'] }, 'invalid_client_metadata'],
      ['a missing token_endpoint_auth_method', { token_endpoint_auth_method: undefined }, 'invalid_client_metadata'],
      ['client_secret_basic', { token_endpoint_auth_method: 'client_secret_basic' }, 'invalid_client_metadata'],
      ['tls_client_auth without a subject DN', { tls_client_auth_subject_dn: undefined }, 'invalid_client_metadata'],
      ['RS256 ID tokens', { id_token_signed_response_alg: 'RS256' }, 'invalid_client_metadata'],
      ['a native application', { application_type: 'native' }, 'invalid_client_metadata'],
      ['another jwks_uri', { jwks_uri: 'https://attacker.example/jwks' }, 'invalid_client_metadata'],
      ['no software_statement', { software_statement: undefined }, 'invalid_software_statement'],
      ['a software_statement that is not a JWT', { software_statement: 'not-a-jwt' }, 'invalid_software_statement'],
      ['a numeric software_statement', { software_statement: 7 }, 'invalid_software_statement'],
      ['an expired request', { iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 300 }, 'invalid_client_metadata'],
      ['a request without jti', { jti: undefined }, 'invalid_client_metadata'],
      ['a request issued by the organisation instead of the software', { iss: 'not-the-software' }, 'invalid_client_metadata'],
    ] as const) {
      it(`answers a request with ${what} with 400 ${error}`, async () => {
        assertRegistrationError(await register(app, tpp, overrides as Record<string, unknown>), error);
      });
    }

    for (const [what, body, contentType] of [
      ['a body that is not a JWT', 'hello', 'application/jose'],
      ['an empty body', '', 'application/jwt'],
      ['a JSON object', '{"redirect_uris":["https://tpp.example/callback"]}', 'application/json'],
      ['a JWT with a garbage header', 'e30x.e30.c2ln', 'application/jose'],
    ] as const) {
      it(`answers ${what} with 400 invalid_client_metadata, never 500`, async () => {
        assertRegistrationError(await register(app, tpp, {}, { jwt: body, contentType }), 'invalid_client_metadata');
      });
    }
  });
}
