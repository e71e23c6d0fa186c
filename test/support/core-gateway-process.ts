import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadServerTls } from '../../src/platform/tls/index.ts';
import { openTestDatabase, type TestDatabase } from './backends.ts';
import { freePort } from './free-port.ts';
import { issueClientCertificate } from './test-certificates.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/portico.mjs');

export interface CoreGatewayProcess {
  /** The gateway's own database (the core's). */
  readonly coreDb: TestDatabase;
  readonly port: number;
  /** Portico's configuration for it: CORE=remote, the URL, the CA and Portico's client certificate files. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * `portico core serve` in a process of its own, as a bank runs its gateway: on a PostgreSQL database
 * of its own, with the sandbox bank (seed 1, as Portico's sandbox PSUs), mutual TLS from a CA made
 * for the test. Resolves once it prints its URL.
 */
export async function startCoreGatewayProcess(options: { port?: number } = {}): Promise<CoreGatewayProcess> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-core-process-'));
  const coreDb = await openTestDatabase('postgres', { migrate: false });
  const tls = await loadServerTls({ dataDir: dir, publicUrl: 'https://127.0.0.1' });
  const client = await issueClientCertificate(tls.sandboxCa, 'portico');
  const files = { serverCert: 'server-cert.pem', serverKey: 'server-key.pem', ca: 'ca.pem', clientCert: 'client-cert.pem', clientKey: 'client-key.pem' };
  const contents = { serverCert: tls.certPem, serverKey: tls.keyPem, ca: tls.sandboxCa!.certificatePem, clientCert: client.certPem, clientKey: client.keyPem };
  for (const [name, file] of Object.entries(files)) await writeFile(path.join(dir, file), contents[name as keyof typeof files]);
  const port = options.port ?? (await freePort());
  const args = ['core', 'serve', '--port', String(port), '--database-url', coreDb.url!, '--seed-sandbox', '--tls-cert', path.join(dir, files.serverCert), '--tls-key', path.join(dir, files.serverKey), '--client-ca', path.join(dir, files.ca)];
  const child = await launch(args);
  return {
    coreDb,
    port,
    env: {
      CORE: 'remote',
      CORE_GATEWAY_URL: `https://127.0.0.1:${port}/core/v1`,
      CORE_GATEWAY_CA_FILE: path.join(dir, files.ca),
      CORE_GATEWAY_CERT_FILE: path.join(dir, files.clientCert),
      CORE_GATEWAY_KEY_FILE: path.join(dir, files.clientKey),
    },
    async stop() {
      await terminate(child);
      await coreDb.close();
      await rm(dir, { recursive: true, force: true });
    },
  };

  async function launch(argv: string[]): Promise<ChildProcess> {
    const started = spawn(process.execPath, [BIN, ...argv], { env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`portico core serve did not start: ${output}`)), 120_000);
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('/core/v1')) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout!.on('data', seen);
      started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`portico core serve exited (${code}): ${output}`));
      });
    });
    started.removeAllListeners('exit');
    return started;
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
