import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RevocationChecker, type RevocationPolicy, type RevocationStatus } from '../../../src/modules/directory/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { createHttpsFetch } from '../../../src/platform/https-client/index.ts';
import { x509 } from '../../../src/platform/tls/index.ts';
import { openTestCache } from '../../support/backends.ts';
import { freePort } from '../../support/free-port.ts';
import { startOpensslOcspResponder, type OpensslOcspResponder } from '../../support/openssl-ocsp-responder.ts';
import { createTestCa, issueOcspSigner, issueTestCrl, issueTestLeaf, type TestCa } from '../../support/test-pki.ts';

const fetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 2000 });
const FAIL_CLOSED: RevocationPolicy = { mode: 'fail-closed', maxStalenessSeconds: 0, recheckSeconds: 60 };
const ASK_EVERY_TIME: RevocationPolicy = { mode: 'fail-closed', maxStalenessSeconds: 0, recheckSeconds: 0 };

const checker = (policy: RevocationPolicy = FAIL_CLOSED) => new RevocationChecker({ fetch, cache: new MemoryCache(), policy });

/** A local HTTP server answering every request with `answer` (a CRL, a replayed OCSP response). */
async function serve(answer: (request: http.IncomingMessage, body: Buffer) => Promise<{ status?: number; body: Uint8Array }>): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      void answer(request, Buffer.concat(chunks)).then(({ status = 200, body }) => response.writeHead(status).end(Buffer.from(body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function assertStatus(actual: RevocationStatus, expected: RevocationStatus['status'], source?: string): void {
  assert.equal(actual.status, expected, actual.status === 'unavailable' ? actual.problems.join('; ') : `answered by ${actual.source}`);
  if (source && actual.status !== 'unavailable') assert.equal(actual.source, source);
}

describe('revocation checks against an independent OCSP responder (openssl ocsp)', () => {
  let ca: TestCa;
  let responder: OpensslOcspResponder;
  let delegated: OpensslOcspResponder;
  let impostor: OpensslOcspResponder;
  let leaf: x509.X509Certificate;
  let delegatedLeaf: x509.X509Certificate;
  let impostorLeaf: x509.X509Certificate;

  before(async () => {
    ca = await createTestCa('OCSP Test CA');
    // Each leaf names the responder that answers for it; ports are chosen before the responders start.
    const [port, delegatedPort, impostorPort] = [await freePort(), await freePort(), await freePort()];
    leaf = (await issueTestLeaf(ca, { ocspUrl: `http://127.0.0.1:${port}` })).certificate;
    delegatedLeaf = (await issueTestLeaf(ca, { ocspUrl: `http://127.0.0.1:${delegatedPort}` })).certificate;
    impostorLeaf = (await issueTestLeaf(ca, { ocspUrl: `http://127.0.0.1:${impostorPort}` })).certificate;
    responder = await startOpensslOcspResponder(ca, [leaf], ca, port);
    delegated = await startOpensslOcspResponder(ca, [delegatedLeaf], await issueOcspSigner(ca), delegatedPort);
    // A responder whose key the CA never delegated to: its answers must not count.
    impostor = await startOpensslOcspResponder(ca, [impostorLeaf], await createTestCa('Impostor'), impostorPort);
  });
  after(async () => {
    await Promise.all([responder?.stop(), delegated?.stop(), impostor?.stop()]);
  });

  it('answers good from the CA-signed response, then revoked once the CA revokes the certificate', async () => {
    const revocation = checker(ASK_EVERY_TIME);
    assertStatus(await revocation.check([leaf, ca.certificate]), 'good', 'ocsp');
    await responder.revoke(leaf);
    const revoked = await revocation.check([leaf, ca.certificate]);
    assertStatus(revoked, 'revoked', 'ocsp');
    assert.ok(revoked.status === 'revoked' && revoked.revokedAt && revoked.revokedAt.getTime() <= Date.now());
  });

  it('accepts a responder the CA delegated to with id-kp-OCSPSigning (RFC 6960 §4.2.2.2)', async () => {
    assertStatus(await checker().check([delegatedLeaf, ca.certificate]), 'good', 'ocsp');
  });

  it('attack: an OCSP response signed by a key the CA never authorised is not an answer', async () => {
    const status = await checker().check([impostorLeaf, ca.certificate]);
    assertStatus(status, 'unavailable');
    assert.match(status.status === 'unavailable' ? status.problems.join() : '', /not authorised by the issuer/);
  });

  it('attack: a replayed OCSP response (the nonce of an earlier request) is not an answer', async () => {
    let captured: Uint8Array | undefined;
    const replayer = await serve(async (_request, body) => {
      captured ??= new Uint8Array(await (await fetch(responder.url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body })).arrayBuffer());
      return { body: captured };
    });
    try {
      const replayedLeaf = (await issueTestLeaf(ca, { ocspUrl: replayer.url })).certificate;
      // The first answer is genuine (openssl does not know this serial: unknown); the second replays it.
      assertStatus(await checker().check([replayedLeaf, ca.certificate]), 'unknown', 'ocsp');
      const replayed = await checker().check([replayedLeaf, ca.certificate]);
      assertStatus(replayed, 'unavailable');
      assert.match(replayed.status === 'unavailable' ? replayed.problems.join() : '', /nonce/);
    } finally {
      await replayer.close();
    }
  });

  it('shares an answer through the cache: a second instance does not ask the responder again', async () => {
    const cache = openTestCache('revocation');
    let asked = 0;
    const counting = await serve(async (_request, body) => {
      asked += 1;
      return { body: new Uint8Array(await (await fetch(delegated.url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body })).arrayBuffer()) };
    });
    try {
      const countedLeaf = (await issueTestLeaf(ca, { ocspUrl: counting.url })).certificate;
      const [first, second] = [new RevocationChecker({ fetch, cache, policy: FAIL_CLOSED }), new RevocationChecker({ fetch, cache, policy: FAIL_CLOSED })];
      assert.equal((await first.check([countedLeaf, ca.certificate])).status, 'unknown');
      assert.equal((await second.check([countedLeaf, ca.certificate])).status, 'unknown');
      assert.equal(asked, 1);
    } finally {
      await counting.close();
      await cache.close();
    }
  });
});

describe('revocation checks by CRL, and when no source answers', () => {
  let ca: TestCa;
  /** What the distribution point serves now. */
  let published: { status?: number; body: Uint8Array };
  let distributionPoint: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    ca = await createTestCa('CRL Test CA');
    published = { body: await issueTestCrl(ca, []) };
    distributionPoint = await serve(async () => published);
  });
  after(async () => {
    await distributionPoint?.close();
  });

  it('attack: a certificate revoked by CRL is revoked; one the CRL does not list is good', async () => {
    const { certificate: revoked } = await issueTestLeaf(ca, { crlUrl: `${distributionPoint.url}/ca.crl` });
    const { certificate: kept } = await issueTestLeaf(ca, { crlUrl: `${distributionPoint.url}/ca.crl` });
    published = { body: await issueTestCrl(ca, [{ serialNumber: revoked.serialNumber }]) };
    const revocation = checker();
    assertStatus(await revocation.check([revoked, ca.certificate]), 'revoked', 'crl');
    assertStatus(await revocation.check([kept, ca.certificate]), 'good', 'crl');
  });

  it('falls back to the CRL when the OCSP responder is down', async () => {
    const { certificate } = await issueTestLeaf(ca, { ocspUrl: `http://127.0.0.1:${await freePort()}`, crlUrl: `${distributionPoint.url}/ca.crl` });
    published = { body: await issueTestCrl(ca, []) };
    assertStatus(await checker().check([certificate, ca.certificate]), 'good', 'crl');
  });

  it('attack: a CRL signed by another CA, or past its nextUpdate, is not an answer', async () => {
    const { certificate } = await issueTestLeaf(ca, { crlUrl: `${distributionPoint.url}/ca.crl` });
    const other = await createTestCa('CRL Test CA');
    published = { body: await issueTestCrl(other, []) };
    const forged = await checker().check([certificate, ca.certificate]);
    assertStatus(forged, 'unavailable');
    assert.match(forged.status === 'unavailable' ? forged.problems.join() : '', /signature does not verify/);
    published = { body: await issueTestCrl(ca, [], { thisUpdate: new Date(Date.now() - 3 * 86_400_000), nextUpdate: new Date(Date.now() - 86_400_000) }) };
    const outdated = await checker().check([certificate, ca.certificate]);
    assertStatus(outdated, 'unavailable');
    assert.match(outdated.status === 'unavailable' ? outdated.problems.join() : '', /nextUpdate has passed/);
  });

  it('attack: OCSP responder and CRL down under fail-closed: no answer, whatever was known before', async () => {
    const { certificate } = await issueTestLeaf(ca, { crlUrl: `${distributionPoint.url}/ca.crl` });
    published = { body: await issueTestCrl(ca, []) };
    const revocation = checker(ASK_EVERY_TIME);
    assertStatus(await revocation.check([certificate, ca.certificate]), 'good', 'crl');
    published = { status: 503, body: new Uint8Array() };
    const down = await revocation.check([certificate, ca.certificate], { now: new Date(Date.now() + 1000) });
    assertStatus(down, 'unavailable');
    assert.match(down.status === 'unavailable' ? down.problems.join() : '', /HTTP 503/);
  });

  it('attack: OCSP responder and CRL down under soft-fail: the last good answer holds for the maximum staleness, not after', async () => {
    const { certificate } = await issueTestLeaf(ca, { crlUrl: `${distributionPoint.url}/ca.crl` });
    published = { body: await issueTestCrl(ca, []) };
    const revocation = checker({ mode: 'soft-fail', maxStalenessSeconds: 30, recheckSeconds: 0 });
    assertStatus(await revocation.check([certificate, ca.certificate]), 'good', 'crl');
    published = { status: 503, body: new Uint8Array() };
    const withinStaleness = await revocation.check([certificate, ca.certificate], { now: new Date(Date.now() + 20_000) });
    assert.deepEqual({ status: withinStaleness.status, stale: withinStaleness.status === 'good' && withinStaleness.stale }, { status: 'good', stale: true });
    assertStatus(await revocation.check([certificate, ca.certificate], { now: new Date(Date.now() + 40_000) }), 'unavailable');
    // Soft-fail never makes up an answer for a certificate nobody has vouched for.
    const { certificate: unseen } = await issueTestLeaf(ca, { crlUrl: `${distributionPoint.url}/ca.crl` });
    assertStatus(await revocation.check([unseen, ca.certificate]), 'unavailable');
  });

  it('attack: an endless answer from the OCSP responder is cut off, and the CRL answers instead', async () => {
    const flood = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/ocsp-response' });
      const chunk = Buffer.alloc(16 * 1024, 0x30);
      const pump = () => {
        while (response.write(chunk)) if (response.writableLength > 1024 * 1024) break;
      };
      response.on('drain', pump);
      pump();
    });
    await new Promise<void>((resolve) => flood.listen(0, '127.0.0.1', resolve));
    try {
      const { certificate } = await issueTestLeaf(ca, { ocspUrl: `http://127.0.0.1:${(flood.address() as AddressInfo).port}`, crlUrl: `${distributionPoint.url}/ca.crl` });
      published = { body: await issueTestCrl(ca, []) };
      const status = await checker().check([certificate, ca.certificate]);
      assertStatus(status, 'good', 'crl');
    } finally {
      flood.closeAllConnections();
      await new Promise((resolve) => flood.close(resolve));
    }
  });

  it('a certificate naming neither OCSP nor CRL cannot be checked', async () => {
    const { certificate } = await issueTestLeaf(ca);
    const status = await checker().check([certificate, ca.certificate]);
    assert.deepEqual(status, { status: 'unavailable', problems: [] });
  });
});
