import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { subjectDnOf as rfc4514SubjectOf } from '../../../src/auth/index.ts';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import {
  accessToken,
  assertRegistrationError,
  manage,
  onboard,
  register,
  registerClient,
  registrationClaims,
  signJwt,
  subjectDnOf,
  type Tpp,
} from '../../support/ob-dcr-client.ts';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

for (const dialect of DIALECTS) {
  describe(`OB DCR v3.4 registration attacks (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Tpp;
    let other: Tpp;
    before(async () => {
      app = await startTestPortico(dialect);
      [tpp, other] = await Promise.all([onboard(app, 'Acme Budgeting Ltd'), onboard(app, 'Mallory Finance Ltd')]);
    });
    after(async () => {
      await app?.close();
    });

    it('SSA signed by an unknown key (a look-alike directory key): 400 invalid_software_statement', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const realHeader = decodeProtectedHeader(tpp.softwareStatement);
      // Same claims, same kid, same alg as the directory's SSA: only the key is not the directory's.
      const forged = await new SignJWT(decodeJwt(tpp.softwareStatement))
        .setProtectedHeader({ alg: 'PS256', kid: realHeader.kid!, typ: 'JWT' })
        .sign(privateKey);
      assertRegistrationError(await register(app, tpp, { software_statement: forged }), 'invalid_software_statement');
    });

    it('SSA whose roles lack PISP asking for payments: 400 invalid_client_metadata', async () => {
      const aispOnly = await onboard(app, 'Read Only Insights Ltd', ['AISP']);
      assertRegistrationError(await register(app, aispOnly, { scope: 'openid accounts payments' }), 'invalid_client_metadata');
      assert.equal((await register(app, aispOnly, { scope: 'openid accounts' })).status, 201, 'its own role is fine');
    });

    it("registration request signed by another TPP's key: 400 invalid_client_metadata", async () => {
      // With the other TPP's kid (not in this software's JWKS) and with this TPP's kid over the other's key.
      const claims = registrationClaims(app, tpp);
      assertRegistrationError(await register(app, tpp, {}, { jwt: await signJwt(claims, other.signing) }), 'invalid_client_metadata');
      const underMyKid = await signJwt({ ...claims, jti: randomUUID() }, { privateKeyPem: other.signing.privateKeyPem, kid: tpp.signing.kid });
      assertRegistrationError(await register(app, tpp, {}, { jwt: underMyKid }), 'invalid_client_metadata');
    });

    it('registration request signed with the transport key instead of the signing key: 400 invalid_client_metadata', async () => {
      const jwt = await signJwt(registrationClaims(app, tpp), { privateKeyPem: tpp.transport.privateKeyPem, kid: tpp.signing.kid });
      assertRegistrationError(await register(app, tpp, {}, { jwt }), 'invalid_client_metadata');
    });

    it('registration without a client certificate: 401', async () => {
      const response = await register(app, tpp, {}, { as: null });
      assert.equal(response.status, 401, response.text);
      assert.equal(response.json<{ error: string }>().error, 'invalid_client');
    });

    it("registration with another organisation's certificate and my SSA: 403", async () => {
      const response = await register(app, tpp, { tls_client_auth_subject_dn: subjectDnOf(other.transport.certificatePem) }, { as: other });
      assert.equal(response.status, 403, response.text);
    });

    it('registration with the seal certificate as the transport certificate: 401', async () => {
      const seal = { ...tpp, transport: { certificatePem: tpp.signing.certificatePem, privateKeyPem: tpp.signing.privateKeyPem } };
      const response = await register(app, tpp, {}, { as: seal });
      assert.equal(response.status, 401, response.text);
    });

    it("tls_client_auth_subject_dn of another TPP's certificate: 400 invalid_client_metadata, naming the presented certificate's", async () => {
      const response = await register(app, tpp, { tls_client_auth_subject_dn: subjectDnOf(other.transport.certificatePem) });
      assertRegistrationError(response, 'invalid_client_metadata');
      assert.equal(
        response.json<{ error_description: string }>().error_description,
        `tls_client_auth_subject_dn must be the subject of the presented transport certificate: ${rfc4514SubjectOf(tpp.transport.certificatePem)}`,
      );
    });

    it('redirect URI not in the SSA: 400 invalid_redirect_uri', async () => {
      assertRegistrationError(await register(app, tpp, { redirect_uris: ['https://attacker.example/callback'] }), 'invalid_redirect_uri');
    });

    it('request JWT with alg none: 400 invalid_client_metadata', async () => {
      const unsecured = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(registrationClaims(app, tpp))}.`;
      assertRegistrationError(await register(app, tpp, {}, { jwt: unsecured }), 'invalid_client_metadata');
      const noneWithKid = `${base64url({ alg: 'none', kid: tpp.signing.kid })}.${base64url(registrationClaims(app, tpp))}.`;
      assertRegistrationError(await register(app, tpp, {}, { jwt: noneWithKid }), 'invalid_client_metadata');
    });

    it('an unknown scope: 400 invalid_client_metadata, naming the scopes there are', async () => {
      const response = await register(app, tpp, { scope: 'openid banking' });
      assertRegistrationError(response, 'invalid_client_metadata');
      assert.equal(response.json<{ error_description: string }>().error_description, 'scope: banking is not supported (use openid, accounts, payments, fundsconfirmations)');
    });

    it('request JWT with a wrong audience: 400 invalid_client_metadata, naming the accepted values', async () => {
      for (const aud of ['https://other-bank.example', 'AnotherBankOrgId01', `${app.portico.config.http.publicUrl}/token`]) {
        const response = await register(app, tpp, { aud });
        assertRegistrationError(response, 'invalid_client_metadata');
        assert.equal(response.json<{ error_description: string }>().error_description, `The registration request is invalid: aud must be one of: ${app.portico.config.http.publicUrl}, ${app.portico.config.aspsp.organisationId}`);
      }
    });

    it("request naming another TPP's software as iss: 400", async () => {
      assertRegistrationError(await register(app, tpp, { iss: other.softwareId }), 'invalid_client_metadata');
    });

    it('another TPP reads/deletes my registration with its own token: 403, and my registration stays', async () => {
      const mine = await registerClient(app, tpp);
      const theirs = await registerClient(app, other, { tls_client_auth_subject_dn: subjectDnOf(other.transport.certificatePem) });
      const theirToken = await accessToken(app, other, theirs.client_id);
      for (const method of ['GET', 'DELETE'] as const) {
        const response = await manage(app, other, method, mine.client_id, theirToken);
        assert.equal(response.status, 403, `${method}: ${response.text}`);
        assert.equal(response.json<{ error: string }>().error, 'access_denied');
      }
      const put = await manage(app, other, 'PUT', mine.client_id, theirToken, await signJwt(registrationClaims(app, other), other.signing));
      assert.equal(put.status, 403, put.text);
      const myToken = await accessToken(app, tpp, mine.client_id);
      assert.equal((await manage(app, tpp, 'GET', mine.client_id, myToken)).status, 200, 'still registered');
    });

    it("my token presented over another TPP's certificate (stolen token): 401 invalid_token (RFC 8705 §3)", async () => {
      const mine = await registerClient(app, tpp);
      const myToken = await accessToken(app, tpp, mine.client_id);
      const response = await manage(app, other, 'GET', mine.client_id, myToken);
      assert.equal(response.status, 401, response.text);
      assert.equal(response.json<{ error: string }>().error, 'invalid_token');
      assert.equal(response.headers['www-authenticate'], 'Bearer error="invalid_token"');
    });

    it('reading a registration without a token, or over no certificate: 401', async () => {
      const mine = await registerClient(app, tpp);
      const noToken = await manage(app, tpp, 'GET', mine.client_id, undefined);
      assert.equal(noToken.status, 401, noToken.text);
      assert.equal(noToken.headers['www-authenticate'], 'Bearer');
      const myToken = await accessToken(app, tpp, mine.client_id);
      const noCertificate = await app.request(`/register/${mine.client_id}`, { headers: { authorization: `Bearer ${myToken}` } });
      assert.equal(noCertificate.status, 401, noCertificate.text);
    });

    it("PUT re-pointing my client at another TPP's software statement: refused", async () => {
      const mine = await registerClient(app, tpp);
      const myToken = await accessToken(app, tpp, mine.client_id);
      const update = await signJwt(registrationClaims(app, other, { tls_client_auth_subject_dn: subjectDnOf(tpp.transport.certificatePem) }), other.signing);
      const response = await manage(app, tpp, 'PUT', mine.client_id, myToken, update);
      assert.ok([400, 403].includes(response.status), response.text);
    });
  });
}
