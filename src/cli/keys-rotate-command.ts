import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
// The key store alone: rotating keys needs neither the HTTP server nor oidc-provider.
import { rotateSigningKeys } from '../auth/signing-keys.ts';
import { DEFAULT_ACTIVATION_DELAY_SECONDS } from '../auth/signing-keys.ts';
import { RETIRED_KEY_GRACE_SECONDS } from '../auth/token-lifetimes.ts';
import { loadKeySealer } from '../app/key-sealer.ts';
import { createKeyManagers } from '../app/key-managers.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';

function seconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new CliError(`--${name} must be a whole number of seconds (got "${text}")`, 2);
  return Number(text);
}

/**
 * `portico keys rotate [--activate-in-seconds N] [--keep-retired-seconds M]`: new signing keys,
 * published now and signing in N seconds; the old ones sign until then and stay published M
 * seconds more. Running instances pick the change up by themselves (SIGNING_KEYS_REFRESH_SECONDS).
 */
export async function keysRotateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'activate-in-seconds': { type: 'string' }, 'keep-retired-seconds': { type: 'string' } }, strict: true });
  const activateAfterSeconds = seconds('activate-in-seconds', values['activate-in-seconds'], DEFAULT_ACTIVATION_DELAY_SECONDS);
  const keepRetiredForSeconds = seconds('keep-retired-seconds', values['keep-retired-seconds'], RETIRED_KEY_GRACE_SECONDS);
  const config = loadConfig();
  if (activateAfterSeconds < config.keys.refreshSeconds) {
    process.stderr.write(
      `Warning: the new keys sign in ${activateAfterSeconds} s, before every instance has reloaded the keys (every ${config.keys.refreshSeconds} s) and before TPPs' JWKS caches know them.\n`,
    );
  }
  const sealer = await loadKeySealer(config);
  const managers = await createKeyManagers(config, sealer);
  try {
    await withDatabase(config, {
      async direct(database) {
        const rotation = await rotateSigningKeys(database.db, { keys: managers[0]!, activateAfterSeconds, keepRetiredForSeconds });
        process.stdout.write(
          [
            `Created signing keys (${managers[0]!.type} key manager): ${rotation.created.join(', ')}`,
            `Published now; they sign from ${rotation.activatesAt.toISOString()}, on every instance, without a restart.`,
            `Retired (sign until then, published ${keepRetiredForSeconds} s more): ${rotation.retired.join(', ') || 'none'}`,
            `Dropped: ${rotation.dropped.join(', ') || 'none'}`,
            '',
          ].join('\n'),
        );
      },
    });
  } finally {
    await Promise.all(managers.map((manager) => manager.close()));
  }
}
