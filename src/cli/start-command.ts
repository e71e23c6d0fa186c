import { loadConfig } from '../platform/config/index.ts';
import { DataDirInUseError } from '../platform/data-dir/index.ts';
import path from 'node:path';
import { CliError } from './cli-errors.ts';

/** `portico start`: runs the platform until SIGINT/SIGTERM, then shuts down cleanly. */
export async function startCommand(): Promise<void> {
  const config = loadConfig();
  // Loaded on demand: the platform (and oidc-provider's runtime notice) only for `start`.
  const { createPortico } = await import('../app/index.ts');
  const portico = await createPortico(config).catch((error: unknown) => {
    if (error instanceof DataDirInUseError) throw new CliError(`${error.message}; stop it, or give this server a DATA_DIR of its own`);
    throw error;
  });
  const port = await portico.listen();
  const base = config.http.publicUrl;
  const lines = [
    '',
    `Portico is running on ${base} (${portico.database.dialect}, cache: ${portico.cache.kind}, bus: ${portico.bus.kind})`,
    `  API base        ${base}/open-banking/v4.0`,
    `  OIDC discovery  ${base}/.well-known/openid-configuration`,
    `  PSU pages       ${base}/psu`,
    `  Health          ${base}/health/ready`,
    `  Metrics         ${base}/metrics`,
  ];
  if (config.sandbox.enabled) {
    lines.push(`  Sandbox PSUs    ${base}/sandbox/v1/psus`, `  TPP onboarding  POST ${base}/sandbox/v1/tpps`, `  Directory JWKS  ${base}/directory/v1/jwks`);
  }
  if (portico.tls.sandboxCa) lines.push(`  Sandbox CA      ${path.join(config.dataDir, 'tls', 'sandbox-ca.pem')}  (trust it: curl --cacert …)`);
  lines.push(`  Listening on    ${config.http.host}:${port}`, '');
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    portico.logger.info({ signal }, 'shutting down');
    portico.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
