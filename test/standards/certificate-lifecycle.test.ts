import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EC_P256, generateKeyPair, privateKeyToPem, x509 } from '../../src/platform/tls/index.ts';
import { TEST_REDIS_URL } from '../support/backends.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { openssl } from '../modules/directory/directory-fixtures.ts';
import { assertMatchesSchema, obSchema } from '../support/openapi.ts';

const errorResponse = obSchema('account-info', 'OBErrorResponse1');

interface IssuedWire {
  serialNumber: string;
  usage: 'transport' | 'signing';
  softwareId: string;
  status: string;
  certificatePem: string;
  jwk?: { kid: string; alg: string; x5c: string[] };
}

/** A PKCS#10 request for a new EC P-256 key (or for `keys`), signed with it. */
async function csrFor(keys?: webcrypto.CryptoKeyPair): Promise<{ pem: string; keyPem: string }> {
  const pair = keys ?? (await generateKeyPair(EC_P256));
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=ignored by the QTSP', keys: pair, signingAlgorithm: EC_P256 });
  return { pem: csr.toString('pem'), keyPem: await privateKeyToPem(pair.privateKey) };
}

describe('the TPP certificate lifecycle at the sandbox directory: CSR, list, renew, revoke (postgres + Redis)', () => {
  let app: TestPortico;
  let tpp: TppClient;
  let other: TppClient;
  const path = (client: TppClient, rest = '') => `/directory/v1/organisations/${client.tpp.organisationId}/certificates${rest}`;
  const post = (client: TppClient, rest: string, body: unknown, as: TppClient = client) => as.mtls(path(client, rest), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    app = await startTestPortico('postgres', { REDIS_URL: TEST_REDIS_URL });
    tpp = await TppClient.onboard(app, 'Lifecycle Ltd');
    other = await TppClient.onboard(app, 'Someone Else Ltd');
  });
  after(async () => {
    await app?.close();
  });

  it("issues a signing certificate for the TPP's own key, with the directory's subject, and publishes the key in the software's JWKS", async () => {
    const request = await csrFor();
    const response = await post(tpp, '', { softwareId: tpp.tpp.softwareId, usage: 'signing', csr: request.pem });
    assert.equal(response.status, 201, response.text);
    const issued = response.json<IssuedWire>();
    assert.deepEqual([issued.usage, issued.softwareId, issued.status], ['signing', tpp.tpp.softwareId, 'active']);
    const certificate = new x509.X509Certificate(issued.certificatePem);
    assert.match(certificate.subject, /O=Lifecycle Ltd, 2\.5\.4\.97=PSDGB-FCA-\d{6}, CN=/);
    assert.doesNotMatch(certificate.subject, /ignored by the QTSP/);
    const csrKey = await new x509.Pkcs10CertificateRequest(request.pem).publicKey.getThumbprint();
    assert.deepEqual(Buffer.from(await certificate.publicKey.getThumbprint()), Buffer.from(csrKey), 'the certificate is for the key of the CSR');
    assert.equal(issued.jwk?.alg, 'ES256');
    const jwks = await app.request(`/directory/v1/software/${tpp.tpp.softwareId}/jwks`);
    assert.ok(jwks.json<{ keys: Array<{ kid: string }> }>().keys.some((key) => key.kid === issued.jwk?.kid), "the software's JWKS publishes the new key");
  });

  it('issues a transport certificate for a CSR made by openssl, and the TPP can use it for mutual TLS at once', async () => {
    const key = await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], '');
    const keyFile = join(await mkdtemp(join(tmpdir(), 'portico-csr-')), 'key.pem');
    await writeFile(keyFile, key, { mode: 0o600 });
    const csrPem = await openssl(['req', '-new', '-key', keyFile, '-subj', '/CN=openssl'], '');
    await rm(dirname(keyFile), { recursive: true, force: true });
    const response = await post(tpp, '', { softwareId: tpp.tpp.softwareId, usage: 'transport', csr: csrPem });
    assert.equal(response.status, 201, response.text);
    const issued = response.json<IssuedWire>();
    const withNew = new TppClient(app, { ...tpp.tpp, transport: { certificatePem: issued.certificatePem, privateKeyPem: key } });
    const listed = await withNew.mtls(path(tpp));
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      listed.json<{ certificates: Array<{ usage: string; status: string }> }>().certificates.map((certificate) => `${certificate.usage}:${certificate.status}`).sort(),
      ['signing:active', 'signing:active', 'transport:active', 'transport:active'],
    );
  });

  it('lists each certificate with its whole days to expiry (rounded up), and reads one at the URL its expiry warnings name', async () => {
    const listed = (await tpp.mtls(path(tpp))).json<{ certificates: Array<{ serialNumber: string; notAfter: string; daysToExpiry: number; status: string }> }>().certificates;
    assert.ok(listed.length >= 2);
    for (const certificate of listed) {
      const days = (Date.parse(certificate.notAfter) - Date.now()) / 86_400_000;
      assert.ok(certificate.daysToExpiry >= days && certificate.daysToExpiry < days + 1, `${certificate.daysToExpiry} whole days for ${days}`);
    }
    const [first] = listed;
    const one = await tpp.mtls(path(tpp, `/${first!.serialNumber.toUpperCase()}`));
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.json(), listed.find((certificate) => certificate.serialNumber === first!.serialNumber));
    const unknown = await tpp.mtls(path(tpp, '/0badc0ffee'));
    assert.equal(unknown.status, 404, unknown.text);
    assertMatchesSchema(unknown.json(), errorResponse);
    // Another organisation reads it neither through this organisation's path nor through its own.
    assert.equal((await other.mtls(path(tpp, `/${first!.serialNumber}`))).status, 403);
    assert.equal((await other.mtls(path(other, `/${first!.serialNumber}`))).status, 404);
  });

  it('renews a certificate with a new CSR (same usage and software), then the TPP revokes the old one: its key leaves the JWKS', async () => {
    const listed = (await tpp.mtls(path(tpp))).json<{ certificates: Array<{ serialNumber: string; usage: string; thumbprint: string }> }>().certificates;
    const signing = listed.find((certificate) => certificate.usage === 'signing')!;
    const renewed = await post(tpp, `/${signing.serialNumber}/renewal`, { csr: (await csrFor()).pem });
    assert.equal(renewed.status, 201, renewed.text);
    assert.equal(renewed.json<IssuedWire>().usage, 'signing');
    assert.notEqual(renewed.json<IssuedWire>().serialNumber, signing.serialNumber);
    const revoked = await post(tpp, `/${signing.serialNumber}/revocation`, { reason: 'superseded' });
    assert.equal(revoked.status, 200, revoked.text);
    assert.deepEqual(revoked.json(), { serialNumber: signing.serialNumber, status: 'revoked' });
    const after = (await tpp.mtls(path(tpp))).json<{ certificates: Array<{ serialNumber: string; status: string }> }>().certificates;
    assert.equal(after.find((certificate) => certificate.serialNumber === signing.serialNumber)?.status, 'revoked');
    const jwks = (await app.request(`/directory/v1/software/${tpp.tpp.softwareId}/jwks`)).json<{ keys: Array<{ kid: string; 'x5t#S256'?: string }> }>().keys;
    assert.ok(!jwks.some((key) => key['x5t#S256'] === signing.thumbprint), "the revoked certificate's key is no longer published");
    assert.ok(jwks.some((key) => key.kid === renewed.json<IssuedWire>().jwk?.kid), "the successor's key is published");
  });

  it("attack: another TPP's organisation — it can neither list, issue for, nor revoke this organisation's certificates", async () => {
    const listed = await other.mtls(path(tpp));
    assert.equal(listed.status, 403, listed.text);
    assertMatchesSchema(listed.json(), errorResponse);
    assert.equal((await post(tpp, '', { softwareId: tpp.tpp.softwareId, usage: 'signing', csr: (await csrFor()).pem }, other)).status, 403);
    const ours = (await tpp.mtls(path(tpp))).json<{ certificates: Array<{ serialNumber: string }> }>().certificates[0]!;
    // Through its own organisation's path, another organisation's serial is simply not there.
    const foreign = await post(other, `/${ours.serialNumber}/revocation`, {});
    assert.equal(foreign.status, 404, foreign.text);
    assert.equal((await post(other, '', { softwareId: tpp.tpp.softwareId, usage: 'signing', csr: (await csrFor()).pem })).status, 404, "another organisation's software");
  });

  it('attack: a CSR not signed by its key, a weak key, or no client certificate at all', async () => {
    const genuine = new x509.Pkcs10CertificateRequest((await csrFor()).pem);
    const swapped = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys: await generateKeyPair(EC_P256), signingAlgorithm: EC_P256 });
    // The first key's request with the second's signature: RFC 2986 proof of possession fails.
    const forged = x509.PemConverter.encode(
      Buffer.concat([Buffer.from(genuine.rawData).subarray(0, Buffer.from(genuine.rawData).length - genuine.signature.byteLength), Buffer.from(swapped.signature)]),
      'CERTIFICATE REQUEST',
    );
    const forgedResponse = await post(tpp, '', { softwareId: tpp.tpp.softwareId, usage: 'signing', csr: forged });
    assert.equal(forgedResponse.status, 400, forgedResponse.text);
    assertMatchesSchema(forgedResponse.json(), errorResponse);
    const weakKeys = (await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const weak = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=weak', keys: weakKeys, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } });
    const weakResponse = await post(tpp, '', { softwareId: tpp.tpp.softwareId, usage: 'transport', csr: weak.toString('pem') });
    assert.equal(weakResponse.status, 400, weakResponse.text);
    assert.match(weakResponse.text, /ECDSA on P-256 or P-384, or RSA of 2048 bits or more/);
    const anonymous = await app.request(path(tpp));
    assert.equal(anonymous.status, 401, anonymous.text);
  });
});
