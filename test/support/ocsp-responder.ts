import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxQtsp } from '../../src/modules/directory/index.ts';
import type { DirectoryRepository } from '../../src/modules/directory/directory.repository.port.ts';
import { answerOcspRequest } from '../../src/modules/directory/revocation/ocsp-responder.ts';
import type { TestCa } from './test-pki.ts';

/**
 * An OCSP responder for test CAs (Portico's own responder code, over the serials in `revoked`,
 * lower-case hex): `{url}/{index}` answers for `cas[index]`.
 */
export async function startOcspResponder(cas: readonly TestCa[], revoked: Set<string>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const ca = cas[Number(new URL(request.url ?? '/', 'http://x').pathname.slice(1))]!;
      const records = { certificateRevocation: async (serial: string) => ({ revokedAt: revoked.has(serial) ? new Date() : null }) } as unknown as DirectoryRepository;
      const qtsp = { issuingCertificate: ca.certificate, issuingPrivateKey: ca.privateKey } as unknown as SandboxQtsp;
      void answerOcspRequest(records, qtsp, Buffer.concat(chunks)).then((der) => response.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(der));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

