import { loadConfig, type Config } from '../platform/config/index.ts';
import { DataDirInUseError } from '../platform/data-dir/index.ts';
import { SchemaBehindError } from '../platform/db/index.ts';
import path from 'node:path';
import type { Portico } from '../app/index.ts';
import { CliError } from './cli-errors.ts';
import { dbMigrateCommand } from './db-migrate-command.ts';

/**
 * `portico start`: runs the platform, or the part of it ROLE names, until SIGINT/SIGTERM, then
 * shuts down cleanly; with ROLE=migrate, applies the migrations (and seeds the sandbox bank) and exits.
 */
export async function startCommand(): Promise<void> {
  const config = loadConfig();
  if (config.process.role === 'migrate') return dbMigrateCommand(config);
  // Loaded on demand: the platform (and oidc-provider's runtime notice) only for `start`.
  const { createPortico } = await import('../app/index.ts');
  const portico = await createPortico(config).catch((error: unknown) => {
    if (error instanceof DataDirInUseError) throw new CliError(`${error.message}; stop it, or give this server a DATA_DIR of its own`);
    if (error instanceof SchemaBehindError) throw new CliError(`ROLE=${config.process.role}: ${error.message}`);
    throw error;
  });
  const port = await portico.listen();
  const lines = config.process.role === 'worker' ? workerBanner(config, portico) : apiBanner(config, portico);
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

const backendsOf = (portico: Portico) => `${portico.database.dialect}, cache: ${portico.cache.kind}, bus: ${portico.bus.kind}`;

function workerBanner(config: Config, portico: Portico): string[] {
  const base = config.http.publicUrl;
  return ['', `Portico worker is running (${backendsOf(portico)}): jobs, outbox relay, bus consumers, housekeeping`, `  Health          ${base}/health/ready`, `  Metrics         ${base}/metrics`];
}

function apiBanner(config: Config, portico: Portico): string[] {
  const base = config.http.publicUrl;
  const lines = [
    '',
    `Portico ${config.process.role === 'api' ? 'API ' : ''}is running on ${base} (${backendsOf(portico)})`,
    `  API base        ${base}/open-banking/v4.0`,
    `  Berlin Group    ${base}/berlin-group/v1  (NextGenPSD2 v1.3.12, TPPs by QWAC)`,
    `  OIDC discovery  ${base}/.well-known/openid-configuration`,
    `  PSU pages       ${base}/psu`,
    `  Ops console     ${base}/ops  (bank staff: password + one-time code, or a passkey)`,
    `  Health          ${base}/health/ready`,
    `  Metrics         ${base}/metrics`,
  ];
  if (config.sandbox.enabled) {
    lines.push(
      `  Sandbox PSUs    ${base}/sandbox/v1/psus`,
      `  Ops logins      ${base}/sandbox/v1/operators  (ops-viewer, ops-operator, ops-admin: password and TOTP secret)`,
      `  TPP onboarding  POST ${base}/sandbox/v1/tpps`,
      `  Directory JWKS  ${base}/directory/v1/jwks`,
    );
  }
  if (portico.tls.sandboxCa) lines.push(`  Sandbox CA      ${path.join(config.dataDir, 'tls', 'sandbox-ca.pem')}  (trust it: curl --cacert …)`);
  return lines;
}
