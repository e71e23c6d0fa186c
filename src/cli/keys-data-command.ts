import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
import type { Db } from '../platform/db/index.ts';
import { countEncryptedUnder, DataKeyRing, PersonalDataCipher, reencryptColumn } from '../platform/keystore/index.ts';
import { loadKeySealer } from '../app/key-sealer.ts';
import { ENCRYPTED_COLUMNS } from '../app/encrypted-columns.ts';
import { PERSONAL_DATA_KEYS } from '../app/personal-data-keys.ts';
import { withDatabase } from './embedded-database.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Moves every encrypted column to the active data key (values in the clear are encrypted), then
 * deletes the retired keys nothing is encrypted under any more.
 */
async function reencryptAll(db: Db, ring: DataKeyRing): Promise<void> {
  const cipher = new PersonalDataCipher(ring);
  for (const column of ENCRYPTED_COLUMNS) {
    const name = `${column.table}.${column.column}`;
    const rewritten = await reencryptColumn(db, column, cipher, { onBatch: (count) => say(`  ${name}: ${count} values re-encrypted…`) });
    say(`${name}: ${rewritten} values re-encrypted under ${ring.active.id}`);
  }
  for (const id of ring.retiredIds) {
    const left = (await Promise.all(ENCRYPTED_COLUMNS.map((column) => countEncryptedUnder(db, column, id)))).reduce((a, b) => a + b, 0);
    if (left > 0) {
      say(`Retired data key ${id}: ${left} values still under it (written by an instance that had not reloaded the keys); run portico keys reencrypt again`);
      continue;
    }
    await DataKeyRing.drop(db, id);
    say(`Retired data key ${id}: nothing left under it, deleted`);
  }
}

/**
 * `portico keys rotate-data-key`: a new data key for personal data; once every instance encrypts
 * with it (SIGNING_KEYS_REFRESH_SECONDS), every value is moved to it and the old key deleted.
 * `portico keys reencrypt`: the second half alone (after turning PERSONAL_DATA_ENCRYPTION on, or
 * to finish an interrupted rotation).
 */
export async function keysDataCommand(sub: 'rotate-data-key' | 'reencrypt', args: string[]): Promise<void> {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfig();
  const sealer = await loadKeySealer(config);
  await withDatabase(config, {
    async direct(database) {
      if (sub === 'rotate-data-key') {
        const rotation = await DataKeyRing.rotate(database.db, sealer, PERSONAL_DATA_KEYS);
        say(`Created data key ${rotation.created}; retired ${rotation.retired.join(', ') || 'none'}`);
        const wait = config.keys.refreshSeconds + 1;
        say(`Waiting ${wait} s for every instance to encrypt with it (SIGNING_KEYS_REFRESH_SECONDS)…`);
        await sleep(wait * 1000);
      }
      await reencryptAll(database.db, await DataKeyRing.load(database.db, sealer, PERSONAL_DATA_KEYS));
    },
  });
}
