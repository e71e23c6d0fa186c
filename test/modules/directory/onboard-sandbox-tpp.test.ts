import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, importPKCS8, jwtVerify, CompactSign } from 'jose';
import { DirectoryErrors, type SandboxQtsp } from '../../../src/modules/directory/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { x509 } from '../../../src/platform/tls/index.ts';
import { DIALECTS, openTestCache, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { onboardTestTpp, PUBLIC_URL } from './directory-fixtures.ts';
import { directoryOf } from '../../support/directory-module.ts';

async function signPs256(privateKeyPem: string, kid: string, payload: string): Promise<string> {
  const key = await importPKCS8(privateKeyPem, 'PS256');
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'PS256', kid }).sign(key);
}

for (const dialect of DIALECTS) {
  describe(`onboardSandboxTpp (${dialect})`, () => {
    let database: TestDatabase;
    const cache = openTestCache();
    let qtsp: SandboxQtsp;

    before(async () => {
      database = await openTestDatabase(dialect);
      qtsp = await directoryOf(database.db).loadOrCreateSandboxQtsp();
    });
    after(async () => {
      await cache.close();
      await database?.close();
    });

    it('returns the DESIGN.md §3 shape with PEM certificates and PKCS#8 keys', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      assert.deepEqual(Object.keys(tpp).sort(), ['organisationId', 'signing', 'softwareId', 'softwareStatement', 'transport']);
      assert.deepEqual(Object.keys(tpp.transport).sort(), ['certificatePem', 'privateKeyPem']);
      assert.deepEqual(Object.keys(tpp.signing).sort(), ['certificatePem', 'kid', 'privateKeyPem']);
      assert.match(tpp.organisationId, /^[0-9A-Z]{18}$/);
      assert.match(tpp.softwareId, /^[0-9A-Za-z]{22}$/);
      for (const pair of [tpp.transport, tpp.signing]) {
        assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
        assert.equal(pair.certificatePem.match(/-----BEGIN CERTIFICATE-----/g)?.length, 2, 'leaf + issuing CA');
      }
      const organisation = await directoryOf(database.db).getOrganisation(tpp.organisationId);
      assert.equal(organisation.legalName, 'Acme Payments Ltd');
      assert.match(organisation.organizationIdentifier, /^PSDGB-FCA-\d{6}$/);
      assert.equal(organisation.organizationIdentifier, `PSDGB-FCA-${organisation.authorisationNumber}`);
      assert.deepEqual(organisation.roles, ['AISP', 'PISP']);
    });

    it('issues an SSA that verifies with the directory JWKS and carries the OB SSA claims', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp, { organisationName: 'Claims Check Ltd', roles: ['PISP', 'CBPII'] });
      const jwks = createLocalJWKSet(await directoryOf(database.db).directoryJwks());
      const { payload, protectedHeader } = await jwtVerify(tpp.softwareStatement, jwks, { issuer: `${PUBLIC_URL}/directory`, algorithms: ['PS256'] });
      assert.equal(protectedHeader.kid, qtsp.directorySigner.kid);
      assert.equal(protectedHeader.typ, 'JWT');
      const { iat, jti, ...claims } = payload;
      assert.ok(typeof iat === 'number' && Math.abs(iat - Date.now() / 1000) < 60);
      assert.ok(typeof jti === 'string' && jti.length > 0);
      assert.deepEqual(claims, {
        iss: `${PUBLIC_URL}/directory`,
        software_environment: 'sandbox',
        software_mode: 'Test',
        software_id: tpp.softwareId,
        software_client_id: tpp.softwareId,
        software_client_name: 'Claims Check Ltd',
        software_client_description: 'Claims Check Ltd sandbox software',
        software_version: '1.0',
        software_roles: ['PISP', 'CBPII'],
        software_redirect_uris: ['https://tpp.example/callback'],
        software_jwks_endpoint: `${PUBLIC_URL}/directory/v1/software/${tpp.softwareId}/jwks`,
        org_id: tpp.organisationId,
        org_name: 'Claims Check Ltd',
        org_status: 'Active',
        org_jwks_endpoint: `${PUBLIC_URL}/directory/v1/organisations/${tpp.organisationId}/jwks`,
      });
    });

    it('a PS256 JWS made with signing.privateKeyPem verifies with the software JWKS entry for signing.kid', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const jwks = await directoryOf(database.db).softwareJwks(tpp.softwareId);
      assert.equal(jwks.keys.length, 1);
      const [entry] = jwks.keys;
      assert.equal(entry?.kid, tpp.signing.kid);
      assert.equal(entry?.alg, 'PS256');
      assert.equal(entry?.use, 'sig');
      assert.equal(entry?.kty, 'RSA');
      assert.equal('d' in (entry ?? {}), false, 'no private parts');
      const leaf = new x509.X509Certificate(tpp.signing.certificatePem);
      assert.equal(entry?.x5c?.[0], Buffer.from(leaf.rawData).toString('base64'));

      const jws = await signPs256(tpp.signing.privateKeyPem, tpp.signing.kid, '{"Data":{}}');
      assert.equal(decodeProtectedHeader(jws).kid, tpp.signing.kid);
      const verified = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['PS256'] });
      assert.equal(new TextDecoder().decode(verified.payload), '{"Data":{}}');

      const orgKeys = (await directoryOf(database.db).organisationJwks(tpp.organisationId)).keys;
      assert.deepEqual(orgKeys.map((key) => key.use).sort(), ['sig', 'tls']);
      assert.ok(orgKeys.some((key) => key.kid === tpp.signing.kid && key.use === 'sig'));
    });

    it('drops the signing key from the JWKS once its certificate is revoked', async () => {
      const tpp = await onboardTestTpp(database.db, qtsp);
      const jws = await signPs256(tpp.signing.privateKeyPem, tpp.signing.kid, 'payload');
      await directoryOf(database.db, cache).revokeCertificate(new x509.X509Certificate(tpp.signing.certificatePem).serialNumber, 'keyCompromise');
      const jwks = await directoryOf(database.db).softwareJwks(tpp.softwareId);
      assert.deepEqual(jwks.keys, []);
      await assert.rejects(compactVerify(jws, createLocalJWKSet(jwks)));
      assert.deepEqual((await directoryOf(database.db).organisationJwks(tpp.organisationId)).keys.map((key) => key.use), ['tls']);
    });

    it('rejects invalid requests and writes nothing', async () => {
      const count = async () => Number((await database.db.selectFrom('directory_organisations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const base = { organisationName: 'Bad Request Ltd', roles: ['AISP'], redirectUris: ['https://tpp.example/cb'], publicUrl: PUBLIC_URL };
      const cases = [
        { input: { ...base, roles: [] }, error: DirectoryErrors.INVALID_ROLES },
        { input: { ...base, roles: ['AISP', 'ASPSP'] }, error: DirectoryErrors.INVALID_ROLES },
        { input: { ...base, redirectUris: ['http://tpp.example/cb'] }, error: DirectoryErrors.INVALID_REDIRECT_URIS },
        { input: { ...base, redirectUris: ['https://tpp.example/cb#frag'] }, error: DirectoryErrors.INVALID_REDIRECT_URIS },
        { input: { ...base, redirectUris: [] }, error: DirectoryErrors.INVALID_REDIRECT_URIS },
        { input: { ...base, organisationName: ' ' }, error: DirectoryErrors.INVALID_ORGANISATION_NAME },
        { input: { ...base, organisationName: 'x'.repeat(65) }, error: DirectoryErrors.INVALID_ORGANISATION_NAME },
      ];
      for (const { input, error } of cases) {
        await assert.rejects(directoryOf(database.db).onboardSandboxTpp(qtsp, input), (thrown) => isAppError(thrown) && thrown.code === error.code, JSON.stringify(input));
      }
      assert.equal(await count(), before);
    });

    it('answers NOT_FOUND for unknown organisations and software statements', async () => {
      await assert.rejects(directoryOf(database.db).getOrganisation('NOPE'), (error) => isAppError(error) && error.status === 404);
      await assert.rejects(directoryOf(database.db).softwareJwks('NOPE'), (error) => isAppError(error) && error.code === DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND.code);
      await assert.rejects(directoryOf(database.db).organisationJwks('NOPE'), (error) => isAppError(error) && error.code === DirectoryErrors.ORGANISATION_NOT_FOUND.code);
    });
  });
}
