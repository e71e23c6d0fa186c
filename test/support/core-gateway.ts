import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCoreGatewayServer, type CoreGatewayServer } from '../../src/app/core-gateway-server.ts';
import { CoreGatewayClient, type CoreGatewayClientOptions } from '../../src/core/adapters/remote/index.ts';
import { loadServerTls, type CertificateAuthority } from '../../src/platform/tls/index.ts';
import { openTestDatabase, type TestDatabase } from './backends.ts';
import { silentLogger } from './silent-logger.ts';
import { issueClientCertificate } from './test-certificates.ts';

export interface TestCoreGateway {
  readonly gateway: CoreGatewayServer;
  /** The gateway's own database (the core's), for fixtures. */
  readonly coreDb: TestDatabase;
  readonly ca: CertificateAuthority;
  /** Portico's client certificate for mutual TLS. */
  readonly client: { readonly certPem: string; readonly keyPem: string };
  /** A client of the gateway (or of `url`, a proxy in front of it) with these settings. */
  connect(options?: Partial<CoreGatewayClientOptions>): CoreGatewayClient;
  close(): Promise<void>;
}

/**
 * The reference core gateway in this process, on a PostgreSQL database of its own, with a server
 * certificate and a client certificate from a CA made for the test: mutual TLS as in production.
 */
export async function startTestCoreGateway(): Promise<TestCoreGateway> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portico-core-gateway-'));
  const coreDb = await openTestDatabase('postgres', { migrate: false });
  const tls = await loadServerTls({ dataDir, publicUrl: 'https://127.0.0.1' });
  const ca = tls.sandboxCa!;
  const client = await issueClientCertificate(ca, 'portico-core-client');
  const gateway = await startCoreGatewayServer({
    databaseUrl: coreDb.url,
    host: '127.0.0.1',
    port: 0,
    tls: { certPem: tls.certPem, keyPem: tls.keyPem, clientCaPems: [ca.certificatePem] },
    logger: silentLogger,
  });
  const clients: CoreGatewayClient[] = [];
  return {
    gateway,
    coreDb,
    ca,
    client,
    connect(options = {}) {
      const connected = new CoreGatewayClient({
        url: gateway.url,
        caPems: [ca.certificatePem],
        certPem: client.certPem,
        keyPem: client.keyPem,
        timeoutMs: 2000,
        retries: 2,
        circuitFailures: 5,
        circuitOpenMs: 1000,
        ...options,
      });
      clients.push(connected);
      return connected;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await gateway.close();
      await coreDb.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
