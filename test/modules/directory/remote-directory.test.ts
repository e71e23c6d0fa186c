import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, jwtVerify } from 'jose';
import { createRemoteDirectory, DirectoryErrors, RevocationChecker, type SandboxQtsp, type TppDirectory } from '../../../src/modules/directory/index.ts';
import type { DirectoryRepository } from '../../../src/modules/directory/directory.repository.port.ts';
import { answerOcspRequest } from '../../../src/modules/directory/revocation/ocsp-responder.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { x509 } from '../../../src/platform/tls/index.ts';
import { createTppCertificates } from '../../../src/modules/directory/create-tpp-certificates.ts';
import { createUnsavedQtsp } from '../../../src/modules/directory/sandbox-qtsp.ts';
import type { HttpsFetch } from '../../../src/platform/https-client/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { assertAccepted, assertRejected } from './directory-fixtures.ts';

const IDENTIFIER = 'PSDGB-FCA-654321';
const ORGANISATION = { id: 'org-remote-1', legalName: 'Remote Ltd', organizationIdentifier: IDENTIFIER, roles: ['AISP', 'PISP'] as ('AISP' | 'PISP')[], status: 'Active' as const };

/** Serials the test QTSP's OCSP responder answers revoked. */
const revokedSerials = new Set<string>();
let ocspResponderUp = true;

/**
 * A directory that answers from a table of paths, as the remote directory's HTTPS API would, and
 * the test QTSP's OCSP responder (the module's own, over the serials revoked here).
 */
function fakeFetch(answers: Record<string, { status: number; body: unknown } | 'unreachable'>): HttpsFetch {
  return async (url, init) => {
    if (new URL(url).pathname === '/directory/v1/ocsp') {
      if (!ocspResponderUp) throw new TypeError('fetch failed: connect ECONNREFUSED');
      const records = { certificateRevocation: async (serial: string) => ({ revokedAt: revokedSerials.has(serial) ? new Date() : null }) } as unknown as DirectoryRepository;
      return new Response(await answerOcspRequest(records, qtspOfTest, init!.body!), { headers: { 'content-type': 'application/ocsp-response' } });
    }
    const answer = answers[new URL(url).pathname];
    if (answer === 'unreachable') throw new TypeError('fetch failed: connect ECONNREFUSED');
    if (!answer) return new Response('{}', { status: 404 });
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
}

async function rejectsAsUnavailable(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error) => isAppError(error) && error.definition === DirectoryErrors.DIRECTORY_UNAVAILABLE && error.status === 503);
}

let qtspOfTest: SandboxQtsp;

describe('the remote directory adapter', () => {
  let qtsp: SandboxQtsp;
  let transportPem: string;
  const directoryWith = (answers: Parameters<typeof fakeFetch>[0]): TppDirectory =>
    createRemoteDirectory({
      issuer: 'Remote Directory',
      jwksUrl: 'https://directory.example/jwks',
      apiUrl: 'https://directory.example/api',
      clientTrustAnchorPems: [qtsp.issuingCertificatePem, qtsp.rootCertificatePem],
      fetch: fakeFetch(answers),
      revocation: new RevocationChecker({ fetch: fakeFetch(answers), cache: new MemoryCache(), policy: { mode: 'fail-closed', maxStalenessSeconds: 0, recheckSeconds: 0 } }),
    });

  before(async () => {
    qtsp = qtspOfTest = await createUnsavedQtsp();
    const created = await createTppCertificates(qtsp, { organisation: { ...ORGANISATION, ncaName: 'Financial Conduct Authority', ncaId: 'GB-FCA' }, softwareId: 'sw-remote-1', publicUrl: 'https://directory.example' });
    transportPem = created.credentials.transport.certificatePem;
  });

  it('accepts a certificate chaining to the trust anchors whose organisation the directory holds Active, with the roles both grant', async () => {
    const directory = directoryWith({ [`/api/organisations/by-identifier/${IDENTIFIER}`]: { status: 200, body: { ...ORGANISATION, roles: ['PISP', 'ASPSP'] } } });
    const verdict = await directory.validateCertificate(transportPem);
    assertAccepted(verdict);
    assert.equal(verdict.organisation.id, ORGANISATION.id);
    assert.deepEqual(verdict.roles, ['PISP'], 'a role the platform does not know grants nothing');
    assert.ok(verdict.pathValidUntil <= qtsp.issuingCertificate.notAfter);
  });

  it('attack: an organisation record for another organizationIdentifier does not vouch for the certificate', async () => {
    const directory = directoryWith({ [`/api/organisations/by-identifier/${IDENTIFIER}`]: { status: 200, body: { ...ORGANISATION, organizationIdentifier: 'PSDGB-FCA-000001' } } });
    assertRejected(await directory.validateCertificate(transportPem), DirectoryErrors.ORGANISATION_UNKNOWN);
  });

  it('refuses an organisation it does not know (404) or holds Suspended, and a certificate of another CA', async () => {
    assertRejected(await directoryWith({}).validateCertificate(transportPem), DirectoryErrors.ORGANISATION_UNKNOWN);
    const suspended = directoryWith({ [`/api/organisations/by-identifier/${IDENTIFIER}`]: { status: 200, body: { ...ORGANISATION, status: 'Suspended' } } });
    assertRejected(await suspended.validateCertificate(transportPem), DirectoryErrors.ORGANISATION_SUSPENDED);
    const otherCa = await createUnsavedQtsp();
    const foreign = createRemoteDirectory({
      issuer: 'x',
      jwksUrl: 'https://directory.example/jwks',
      apiUrl: 'https://directory.example/api',
      clientTrustAnchorPems: [otherCa.issuingCertificatePem, otherCa.rootCertificatePem],
      fetch: fakeFetch({}),
      revocation: new RevocationChecker({ fetch: fakeFetch({}), cache: new MemoryCache() }),
    });
    assertRejected(await foreign.validateCertificate(transportPem), DirectoryErrors.CERTIFICATE_UNTRUSTED);
  });

  it('reads a software statement’s standing, undefined when the directory does not know it', async () => {
    const directory = directoryWith({ '/api/software-statements/sw-remote-1': { status: 200, body: { softwareId: 'sw-remote-1', organisationId: ORGANISATION.id, status: 'Inactive' } } });
    assert.deepEqual(await directory.findSoftwareStatement('sw-remote-1'), { softwareId: 'sw-remote-1', organisationId: ORGANISATION.id, status: 'Inactive' });
    assert.equal(await directory.findSoftwareStatement('sw-unknown'), undefined);
  });

  it('a directory that cannot be reached, fails, or answers another shape is unavailable (503), never a trust decision', async () => {
    const path = `/api/organisations/by-identifier/${IDENTIFIER}`;
    for (const answer of ['unreachable', { status: 500, body: {} }, { status: 200, body: { id: 'org', status: 'Maybe' } }] as const) {
      const directory = directoryWith({ [path]: answer, '/api/software-statements/sw-remote-1': answer, '/jwks': answer, '/software/sw-remote-1/jwks': answer });
      await rejectsAsUnavailable(directory.validateCertificate(transportPem));
      await rejectsAsUnavailable(directory.findSoftwareStatement('sw-remote-1'));
      await rejectsAsUnavailable(directory.softwareSigningKeys({ softwareId: 'sw-remote-1', jwksEndpoint: 'https://directory.example/software/sw-remote-1/jwks' }));
    }
    const ssa = await new SignJWT({ software_id: 'sw-remote-1' }).setProtectedHeader({ alg: 'HS256', kid: 'k' }).sign(new Uint8Array(32));
    await rejectsAsUnavailable(jwtVerify(ssa, directoryWith({ '/jwks': 'unreachable' }).softwareStatementKeys));
  });

  it("gives the software's signing keys from its software_jwks_endpoint", async () => {
    const keys = [qtsp.directorySigner.publicJwk];
    const directory = directoryWith({ '/software/sw-remote-1/jwks': { status: 200, body: { keys } } });
    assert.deepEqual(await directory.softwareSigningKeys({ softwareId: 'sw-remote-1', jwksEndpoint: 'https://directory.example/software/sw-remote-1/jwks' }), { keys });
  });

  it('attack: a revoked transport certificate (its QTSP answers revoked by OCSP) is refused, whatever the directory says of its organisation', async () => {
    const directory = directoryWith({ [`/api/organisations/by-identifier/${IDENTIFIER}`]: { status: 200, body: ORGANISATION } });
    const serial = new x509.X509Certificate(transportPem).serialNumber;
    revokedSerials.add(serial);
    try {
      assertRejected(await directory.validateCertificate(transportPem), DirectoryErrors.CERTIFICATE_REVOKED);
    } finally {
      revokedSerials.delete(serial);
    }
    assertAccepted(await directory.validateCertificate(transportPem));
  });

  it('attack: OCSP responder down under fail-closed (and the certificate names no CRL it can reach): 503, not an acceptance', async () => {
    const directory = directoryWith({ [`/api/organisations/by-identifier/${IDENTIFIER}`]: { status: 200, body: ORGANISATION } });
    ocspResponderUp = false;
    try {
      assertRejected(await directory.validateCertificate(transportPem), DirectoryErrors.REVOCATION_UNAVAILABLE);
    } finally {
      ocspResponderUp = true;
    }
  });

  it('while the directory cannot be reached, its last good answer stands in for a limited age, then the request is refused (503)', async () => {
    const path = `/api/organisations/by-identifier/${IDENTIFIER}`;
    const answers: Parameters<typeof fakeFetch>[0] = { [path]: { status: 200, body: ORGANISATION } };
    const lastGoodCopies = { cache: new MemoryCache(), maxAgeSeconds: 1 };
    const directory = createRemoteDirectory({
      issuer: 'Remote Directory',
      jwksUrl: 'https://directory.example/jwks',
      apiUrl: 'https://directory.example/api',
      clientTrustAnchorPems: [qtsp.issuingCertificatePem, qtsp.rootCertificatePem],
      fetch: fakeFetch(answers),
      revocation: new RevocationChecker({ fetch: fakeFetch({}), cache: new MemoryCache(), policy: { mode: 'fail-closed', maxStalenessSeconds: 0, recheckSeconds: 60 } }),
      lastGoodCopies,
    });
    assertAccepted(await directory.validateCertificate(transportPem));
    answers[path] = 'unreachable';
    assertAccepted(await directory.validateCertificate(transportPem));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await rejectsAsUnavailable(directory.validateCertificate(transportPem));
  });
});
