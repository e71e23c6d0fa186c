import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { DirectoryErrors, type OnboardedTpp, type SandboxQtsp } from '../../../src/modules/directory/index.ts';
import { loadServerTls, type ServerTls } from '../../../src/platform/tls/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { httpsRequest } from '../../support/https-client.ts';
import { issueClientCertificate } from '../../support/test-certificates.ts';
import { onboardTestTpp } from './directory-fixtures.ts';
import { directoryOf } from '../../support/directory-module.ts';

for (const dialect of DIALECTS) {
  describe(`TPP transport certificate over real mutual TLS (${dialect})`, () => {
    let database: TestDatabase;
    let qtsp: SandboxQtsp;
    let tpp: OnboardedTpp;
    let serverTls: ServerTls;
    let server: https.Server;
    let base: string;
    let dataDir: string;

    before(async () => {
      database = await openTestDatabase(dialect);
      qtsp = await directoryOf(database.db).loadOrCreateSandboxQtsp();
      tpp = await onboardTestTpp(database.db, qtsp);
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-mtls-'));
      serverTls = await loadServerTls({ dataDir, publicUrl: 'https://localhost:8443' });
      // The handshake itself must verify the chain against the QTSP root (rejectUnauthorized).
      server = https.createServer({ cert: serverTls.certPem, key: serverTls.keyPem, ca: [qtsp.rootCertificatePem], requestCert: true, rejectUnauthorized: true }, (request, response) => {
        const socket = request.socket as TLSSocket;
        const peer = socket.getPeerX509Certificate();
        directoryOf(database.db).validateTppCertificate(qtsp, peer ? new Uint8Array(peer.raw) : '').then(
          (result) => {
            response.setHeader('content-type', 'application/json');
            response.end(JSON.stringify({ authorized: socket.authorized, ok: result.ok, organisationId: result.ok ? result.organisation.id : null, code: result.ok ? null : result.error.code }));
          },
          (error: unknown) => response.writeHead(500).end(String(error)),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      await database?.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    it('authenticates with the issued transport certificate and key, and validates as the organisation', async () => {
      const response = await httpsRequest(`${base}/`, { ca: serverTls.sandboxCa!.certificatePem, cert: tpp.transport.certificatePem, key: tpp.transport.privateKeyPem });
      assert.equal(response.status, 200);
      assert.deepEqual(response.json(), { authorized: true, ok: true, organisationId: tpp.organisationId, code: null });
    });

    it('is refused at the handshake without a client certificate or with one from another CA', async () => {
      await assert.rejects(httpsRequest(`${base}/`, { ca: serverTls.sandboxCa!.certificatePem }));
      const stranger = await issueClientCertificate(undefined, tpp.softwareId);
      await assert.rejects(httpsRequest(`${base}/`, { ca: serverTls.sandboxCa!.certificatePem, cert: stranger.certPem, key: stranger.keyPem }));
    });

    it('a seal certificate passes the TLS handshake but the directory refuses it as a transport certificate', async () => {
      // The QSealC has no extendedKeyUsage, so OpenSSL lets it act as a TLS client; the directory must not.
      const response = await httpsRequest(`${base}/`, { ca: serverTls.sandboxCa!.certificatePem, cert: tpp.signing.certificatePem, key: tpp.signing.privateKeyPem });
      assert.deepEqual(response.json(), { authorized: true, ok: false, organisationId: null, code: DirectoryErrors.CERTIFICATE_USAGE_INVALID.code });
    });
  });
}
