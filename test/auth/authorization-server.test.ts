import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/platform/config/index.ts';
import { createPortico, type Portico } from '../../src/app/index.ts';
import { registerClient } from '../../src/auth/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { freePort } from '../support/free-port.ts';
import { httpsRequest, type HttpsResponse } from '../support/https-client.ts';
import { issueClientCertificate } from '../support/test-certificates.ts';
import { silentLogger } from '../support/silent-logger.ts';


/** RFC 8705 §3.1: base64url SHA-256 of the certificate's DER. */
const thumbprint = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

interface Discovery {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  introspection_endpoint: string;
  revocation_endpoint: string;
  pushed_authorization_request_endpoint: string;
  authorization_endpoint: string;
  tls_client_certificate_bound_access_tokens: boolean;
  token_endpoint_auth_methods_supported: string[];
  token_endpoint_auth_signing_alg_values_supported: string[];
  id_token_signing_alg_values_supported: string[];
  request_object_signing_alg_values_supported: string[];
  authorization_signing_alg_values_supported: string[];
  scopes_supported: string[];
  claims_supported: string[];
  response_types_supported: string[];
  response_modes_supported: string[];
  code_challenge_methods_supported: string[];
  grant_types_supported: string[];
  acr_values_supported: string[];
  request_parameter_supported: boolean;
  mtls_endpoint_aliases?: unknown;
  registration_endpoint?: string;
}

for (const dialect of DIALECTS) {
  describe(`FAPI authorisation server over HTTPS (${dialect})`, () => {
    let portico: Portico;
    let testDatabase: TestDatabase | undefined;
    let base: string;
    let ca: string;
    let discovery: Discovery;
    let tpp: { certPem: string; keyPem: string };
    let otherTpp: { certPem: string; keyPem: string };
    const clientId = `tpp-${dialect}-client`;
    const otherClientId = `tpp-${dialect}-other`;

    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const post = (url: string, body: string, options: { cert?: { certPem: string; keyPem: string }; headers?: Record<string, string> } = {}) =>
      httpsRequest(url, {
        method: 'POST',
        ca,
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
        ...(options.cert ? { cert: options.cert.certPem, key: options.cert.keyPem } : {}),
      });
    const clientCredentials = (cert: { certPem: string; keyPem: string } | undefined, id = clientId, scope = 'accounts') =>
      post(discovery.token_endpoint, form({ grant_type: 'client_credentials', scope, client_id: id }), cert ? { cert } : {});

    const assertInteractionId = (response: HttpsResponse) =>
      assert.match(String(response.headers['x-fapi-interaction-id']), /^[0-9a-f-]{36}$/, 'x-fapi-interaction-id is set');

    before(async () => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-auth-'));
      const port = await freePort();
      const env: Record<string, string> = { DATA_DIR: dataDir, SANDBOX: 'false', PORT: String(port), HOST: '127.0.0.1' };
      if (dialect === 'postgres') {
        testDatabase = await openTestDatabase('postgres', { migrate: false });
        env['DATABASE_URL'] = testDatabase.url!;
      }
      const config: Config = loadConfig(env, process.cwd());
      portico = await createPortico(config, { logger: silentLogger });
      await portico.listen();
      base = `https://localhost:${port}`;
      ca = portico.tls.clientCaPems[0]!;
      tpp = await issueClientCertificate(portico.tls.sandboxCa, `${clientId}-transport`);
      otherTpp = await issueClientCertificate(portico.tls.sandboxCa, `${otherClientId}-transport`);
      for (const [id, subject] of [
        [clientId, `CN=${clientId}-transport,O=Test TPP,C=GB`],
        // RFC 4514 order (last RDN first) is as good as certificate order.
        [otherClientId, `C=GB,O=Test TPP,CN=${otherClientId}-transport`],
      ] as const) {
        await registerClient(portico.authorizationServer, {
          client_id: id,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'tls_client_auth',
          tls_client_auth_subject_dn: subject,
          scope: 'accounts payments',
        });
      }
    });

    after(async () => {
      await portico?.close();
      await testDatabase?.close();
    });

    it('publishes OIDC discovery with the issuer, endpoints and FAPI capabilities', async () => {
      const interactionId = randomUUID();
      const response = await httpsRequest(`${base}/.well-known/openid-configuration`, { ca, headers: { 'x-fapi-interaction-id': interactionId } });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers['x-fapi-interaction-id'], interactionId, 'the received interaction id is echoed');
      discovery = response.json<Discovery>();
      assert.equal(discovery.issuer, base);
      assert.equal(discovery.token_endpoint, `${base}/token`);
      assert.equal(discovery.jwks_uri, `${base}/jwks`);
      assert.equal(discovery.authorization_endpoint, `${base}/auth`);
      assert.equal(discovery.pushed_authorization_request_endpoint, `${base}/request`);
      assert.equal(discovery.introspection_endpoint, `${base}/token/introspection`);
      assert.equal(discovery.revocation_endpoint, `${base}/token/revocation`);
      assert.equal(discovery.tls_client_certificate_bound_access_tokens, true);
      assert.deepEqual([...discovery.token_endpoint_auth_methods_supported].sort(), ['private_key_jwt', 'tls_client_auth']);
      // One HTTPS port requests client certificates on every connection: no separate mTLS aliases (RFC 8705 §5).
      assert.equal(discovery.mtls_endpoint_aliases, undefined);
      for (const algs of [
        discovery.token_endpoint_auth_signing_alg_values_supported,
        discovery.id_token_signing_alg_values_supported,
        discovery.request_object_signing_alg_values_supported,
        discovery.authorization_signing_alg_values_supported,
      ]) {
        assert.deepEqual([...algs].sort(), ['ES256', 'PS256']);
      }
      assert.deepEqual([...discovery.scopes_supported].sort(), ['accounts', 'fundsconfirmations', 'openid', 'payments']);
      assert.ok(discovery.claims_supported.includes('openbanking_intent_id'));
      assert.ok(discovery.acr_values_supported.includes('urn:openbanking:psd2:sca'));
      assert.deepEqual([...discovery.response_types_supported].sort(), ['code', 'code id_token']);
      assert.ok(discovery.response_modes_supported.includes('jwt'), 'JARM');
      assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
      assert.ok(discovery.grant_types_supported.includes('client_credentials'));
      assert.equal(discovery.request_parameter_supported, true);
      // oidc-provider's registration stays off; the OB DCR facade needs the directory, served in sandbox mode only.
      assert.equal(discovery.registration_endpoint, undefined, 'no registration endpoint without a directory');
      assert.equal((discovery as unknown as Record<string, unknown>)['dpop_signing_alg_values_supported'], undefined, 'tokens are bound by mTLS, not DPoP');

      const oauthMetadata = await httpsRequest(`${base}/.well-known/oauth-authorization-server/`, { ca });
      assert.equal(oauthMetadata.status, 200, 'RFC 8414 metadata too, trailing slash or not');
      assert.equal(oauthMetadata.json<Discovery>().issuer, base);
      assertInteractionId(oauthMetadata);
    });

    it('keeps endpoint URLs on the issuer whatever Host the request names (attack: Host header injection)', async () => {
      const body = await new Promise<string>((resolve, reject) => {
        const url = new URL(`${base}/.well-known/openid-configuration`);
        // The TLS name stays localhost (the certificate's); only the HTTP Host header lies.
        const request = https.request({ host: url.hostname, port: url.port, path: url.pathname, ca, servername: 'localhost', headers: { host: 'attacker.example' }, agent: false }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        });
        request.on('error', reject);
        request.end();
      });
      const metadata = JSON.parse(body) as Discovery;
      assert.equal(metadata.token_endpoint, `${base}/token`);
      assert.equal(metadata.jwks_uri, `${base}/jwks`);
    });

    it('publishes only public keys at jwks_uri', async () => {
      const response = await httpsRequest(discovery.jwks_uri, { ca });
      assert.equal(response.status, 200);
      assertInteractionId(response);
      const { keys } = response.json<{ keys: Array<Record<string, unknown>> }>();
      assert.deepEqual(keys.map((key) => key['alg']).sort(), ['ES256', 'PS256']);
      for (const key of keys) {
        for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[privatePart], undefined, `no "${privatePart}" in a published key`);
        assert.equal(key['use'], 'sig');
      }
      const active = await portico.database.db.selectFrom('auth_signing_keys').select('kid').where('status', '=', 'active').execute();
      assert.deepEqual(keys.map((key) => key['kid']).sort(), active.map((row) => row.kid).sort());
    });

    it('issues a certificate-bound client-credentials token over mTLS (RFC 8705 §2.1, §3)', async () => {
      const response = await clientCredentials(tpp);
      assert.equal(response.status, 200, response.text);
      assertInteractionId(response);
      assert.equal(response.headers['cache-control'], 'no-store');
      const token = response.json<{ access_token: string; token_type: string; expires_in: number; scope: string }>();
      assert.equal(token.token_type, 'Bearer');
      assert.equal(token.scope, 'accounts');
      assert.ok(token.expires_in > 290 && token.expires_in <= 300, `client-credentials tokens live 5 minutes, got ${token.expires_in}`);
      assert.doesNotMatch(token.access_token, /^ey/, 'opaque, not a JWT');

      const introspection = await post(discovery.introspection_endpoint, form({ token: token.access_token, client_id: clientId }), { cert: tpp });
      assert.equal(introspection.status, 200, introspection.text);
      assertInteractionId(introspection);
      const claims = introspection.json<{ active: boolean; client_id: string; scope: string; cnf: Record<string, string>; iss: string; exp: number; iat: number }>();
      assert.equal(claims.active, true);
      assert.equal(claims.client_id, clientId);
      assert.equal(claims.scope, 'accounts');
      assert.equal(claims.iss, base);
      assert.equal(claims.cnf['x5t#S256'], thumbprint(tpp.certPem));
      assert.equal(claims.exp - claims.iat, 300);

      const stored = await portico.database.db.selectFrom('oidc_payloads').select('kind').where('kind', '=', 'ClientCredentials').execute();
      assert.ok(stored.length >= 1, 'the token lives in the platform database, not in memory');
    });

    it('refuses a token request without a client certificate with an OAuth error body', async () => {
      const response = await clientCredentials(undefined);
      assert.equal(response.status, 401, response.text);
      assertInteractionId(response);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const body = response.json<{ error: string; error_description: string }>();
      assert.equal(body.error, 'invalid_client');
      assert.equal(typeof body.error_description, 'string');
    });

    it('refuses a certificate whose subject is not the registered one (attack: using another TPP\'s client_id)', async () => {
      const response = await clientCredentials(otherTpp, clientId);
      assert.equal(response.status, 401, response.text);
      assert.equal(response.json<{ error: string }>().error, 'invalid_client');
    });

    it('refuses a certificate from an untrusted issuer with the registered subject (attack: self-made look-alike certificate)', async () => {
      const lookAlike = await issueClientCertificate(undefined, `${clientId}-transport`);
      const response = await clientCredentials(lookAlike);
      assert.equal(response.status, 401, response.text);
      assert.equal(response.json<{ error: string }>().error, 'invalid_client');
    });

    it('does not grant scopes the client is not registered for', async () => {
      const response = await clientCredentials(tpp, clientId, 'fundsconfirmations');
      assert.equal(response.status, 400, response.text);
      assert.equal(response.json<{ error: string }>().error, 'invalid_scope');
    });

    it('shows a TPP nothing about another TPP\'s token (attack: token scanning via introspection)', async () => {
      const token = (await clientCredentials(tpp)).json<{ access_token: string }>().access_token;
      const response = await post(discovery.introspection_endpoint, form({ token, client_id: otherClientId }), { cert: otherTpp });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json(), { active: false });
    });

    it('revokes a token, after which it introspects as inactive', async () => {
      const token = (await clientCredentials(tpp)).json<{ access_token: string }>().access_token;
      const revoked = await post(discovery.revocation_endpoint, form({ token, client_id: clientId }), { cert: tpp });
      assert.equal(revoked.status, 200, revoked.text);
      assertInteractionId(revoked);
      const response = await post(discovery.introspection_endpoint, form({ token, client_id: clientId }), { cert: tpp });
      assert.deepEqual(response.json(), { active: false });
    });

    it('leaves the body to oidc-provider, which answers other content types with an OAuth error', async () => {
      const response = await httpsRequest(discovery.token_endpoint, {
        method: 'POST',
        ca,
        cert: tpp.certPem,
        key: tpp.keyPem,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId }),
      });
      assert.equal(response.status, 400, response.text);
      assertInteractionId(response);
      assert.equal(response.json<{ error: string }>().error, 'invalid_request');
    });
  });
}
