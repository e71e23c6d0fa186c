import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
// The key store alone: rotating keys needs neither the HTTP server nor oidc-provider.
import { rotateSigningKeys } from '../auth/signing-keys.ts';
import { RETIRED_KEY_GRACE_SECONDS } from '../auth/token-lifetimes.ts';
import { loadKeySealer } from '../app/key-sealer.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';

/** `portico keys rotate [--keep-retired-seconds N]`: new signing keys; the old ones stay published for N seconds. */
export async function keysRotateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'keep-retired-seconds': { type: 'string' } }, strict: true });
  const keepText = values['keep-retired-seconds'];
  if (keepText !== undefined && !/^\d+$/.test(keepText)) {
    throw new CliError(`--keep-retired-seconds must be a whole number (got "${keepText}")`, 2);
  }
  const keepRetiredForSeconds = keepText === undefined ? RETIRED_KEY_GRACE_SECONDS : Number(keepText);
  const config = loadConfig();
  const sealer = await loadKeySealer(config);
  await withDatabase(config, {
    async direct(database) {
      const rotation = await rotateSigningKeys(database.db, { keepRetiredForSeconds, sealer });
      process.stdout.write(
        [
          `Created signing keys: ${rotation.created.join(', ')}`,
          `Retired (published for ${keepRetiredForSeconds} s more): ${rotation.retired.join(', ') || 'none'}`,
          `Dropped: ${rotation.dropped.join(', ') || 'none'}`,
          'Restart the Portico instances to sign with the new keys.',
          '',
        ].join('\n'),
      );
    },
  });
}
