import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { x509 } from '../../src/platform/tls/index.ts';
import { freePort } from './free-port.ts';
import type { TestCa, TestLeaf } from './test-pki.ts';
import { waitFor } from './wait-for.ts';

/**
 * OpenSSL's own OCSP responder (`openssl ocsp -index`), an implementation independent of Portico's,
 * answering for the certificates of `ca` listed in an index file the test rewrites to revoke them
 * (openssl reads it once, so a revocation restarts it). It signs with `signer`: the CA itself or a
 * delegated responder.
 */
export interface OpensslOcspResponder {
  readonly url: string;
  /** Lists the certificate as revoked now. */
  revoke(certificate: x509.X509Certificate): Promise<void>;
  stop(): Promise<void>;
}

export async function startOpensslOcspResponder(ca: TestCa, issued: readonly x509.X509Certificate[], signer: TestLeaf | TestCa = ca, port?: number): Promise<OpensslOcspResponder> {
  const directory = await mkdtemp(path.join(tmpdir(), 'portico-ocsp-'));
  const file = (name: string) => path.join(directory, name);
  await writeFile(file('ca.pem'), ca.certificate.toString('pem'));
  await writeFile(file('signer.pem'), signer.certificate.toString('pem'));
  await writeFile(file('signer.key'), signer.privateKeyPem);
  const line = (certificate: x509.X509Certificate, revokedAt?: Date) =>
    [revokedAt ? 'R' : 'V', opensslTime(certificate.notAfter), revokedAt ? opensslTime(revokedAt) : '', certificate.serialNumber.toUpperCase(), 'unknown', opensslSubject(certificate)].join('\t');
  const entries = new Map(issued.map((certificate) => [certificate.serialNumber, line(certificate)]));
  const writeIndex = () => writeFile(file('index.txt'), [...entries.values()].map((line) => `${line}\n`).join(''));
  await writeIndex();
  await writeFile(file('index.txt.attr'), 'unique_subject = no\n');
  const listenOn = port ?? (await freePort());
  let child = await spawnResponder(file, listenOn);
  return {
    url: `http://127.0.0.1:${listenOn}`,
    // openssl reads its index once: it restarts on the same port to answer from the new one.
    async revoke(certificate) {
      entries.set(certificate.serialNumber, line(certificate, new Date(Date.now() - 1000)));
      await stopped(child);
      await writeIndex();
      child = await spawnResponder(file, listenOn);
    },
    async stop() {
      await stopped(child);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function spawnResponder(file: (name: string) => string, port: number): Promise<ChildProcess> {
  const child = spawn(
    'openssl',
    ['ocsp', '-index', file('index.txt'), '-port', String(port), '-rsigner', file('signer.pem'), '-rkey', file('signer.key'), '-CA', file('ca.pem'), '-nmin', '1', '-ignore_err'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // openssl serves one connection at a time and blocks on an idle one: wait for its word, not a probe.
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`openssl ocsp exited: ${stderr}`);
    return stderr.includes('waiting for OCSP client connections');
  }, 'openssl ocsp listening');
  return child;
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}

/** The index's UTCTime, YYMMDDHHMMSSZ. */
function opensslTime(date: Date): string {
  return `${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`;
}

/** The index's subject, in openssl's `/C=GB/O=…/CN=…` form. */
function opensslSubject(certificate: x509.X509Certificate): string {
  return `/${certificate.subject.split(/,\s*/).reverse().join('/')}`;
}
