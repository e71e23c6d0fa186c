import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../platform/logger/index.ts';
import { loadServerTls } from '../platform/tls/index.ts';
import { CliError } from './cli-errors.ts';

const DEFAULT_PORT = 9443;

/**
 * `portico core serve`: the reference core gateway — the built-in ledger in a database of its own,
 * served over the core gateway contract (docs/core-gateway.md) with mutual TLS — for running
 * Portico with `CORE=remote`, and as the model a bank's own gateway follows.
 */
export async function coreServeCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'client-ca': { type: 'string' },
      'seed-sandbox': { type: 'boolean', default: false },
      customers: { type: 'string', default: '8' },
      months: { type: 'string', default: '12' },
      seed: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port must be a port number (got "${values.port}")`, 2);
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new CliError('--tls-cert and --tls-key go together', 2);
  const dataDir = path.resolve(values['data-dir'] ?? path.join(process.env['DATA_DIR'] ?? './data', 'core-gateway'));
  const databaseUrl = values['database-url'] ?? process.env['CORE_GATEWAY_DATABASE_URL'];
  // Without files: a server certificate from the data dir's sandbox CA, and callers' certificates
  // must chain to that CA too (Portico's sandbox server certificate does: it is also a client one).
  const tls = values['tls-cert']
    ? {
        certPem: await readFile(values['tls-cert'], 'utf8'),
        keyPem: await readFile(values['tls-key']!, 'utf8'),
        clientCaPems: values['client-ca'] ? [await readFile(values['client-ca'], 'utf8')] : undefined,
      }
    : await sandboxTls(dataDir, values.host, values['client-ca']);
  const seedSandbox = values['seed-sandbox'] ? { customers: positive('customers', values.customers), months: positive('months', values.months), seed: positive('seed', values.seed) } : undefined;
  const logger = createLogger(process.env['LOG_LEVEL'] ?? 'info');
  const { startCoreGatewayServer } = await import('../app/core-gateway-server.ts');
  const gateway = await startCoreGatewayServer({ databaseUrl, pgliteDir: path.join(dataDir, 'pgdata'), host: values.host, port, tls, seedSandbox, logger });
  process.stdout.write(
    [
      'Portico core gateway (the built-in ledger over docs/core-gateway.openapi.yaml)',
      `  URL             ${gateway.url}`,
      `  Database        ${databaseUrl ? 'PostgreSQL' : `embedded (${path.join(dataDir, 'pgdata')})`}`,
      `  Client certs    ${tls.clientCaPems ? 'required (mutual TLS)' : 'not asked for'}`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CliError(`--${name} must be a positive whole number (got "${text}")`, 2);
  return value;
}

async function sandboxTls(dataDir: string, host: string, clientCaFile: string | undefined) {
  const tls = await loadServerTls({ dataDir, publicUrl: `https://${host.includes(':') ? `[${host}]` : host}` });
  return { certPem: tls.certPem, keyPem: tls.keyPem, clientCaPems: clientCaFile ? [await readFile(clientCaFile, 'utf8')] : tls.clientCaPems };
}
