import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../platform/config/index.ts';
import { KeySealer, newKeyEncryptionKey, parseKeyEncryptionKeys } from '../platform/keystore/index.ts';

/**
 * The local keystore's sealer: the key-encryption keys of KEY_ENCRYPTION_KEYS or
 * KEY_ENCRYPTION_KEY_FILE, or — for a single process, as `npm start` runs — one kept in
 * `DATA_DIR/keys/key-encryption-keys` (made on first start, readable by this user only).
 */
export async function loadKeySealer(config: Config, logger?: Logger): Promise<KeySealer> {
  const { keystore } = config;
  if (keystore && 'keys' in keystore) return new KeySealer(keystore.keys.map((key) => Buffer.from(key, 'base64')));
  if (keystore) return new KeySealer(parseKeyEncryptionKeys(await readFile(keystore.file, 'utf8')));
  const file = path.join(config.dataDir, 'keys', 'key-encryption-keys');
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return new KeySealer(parseKeyEncryptionKeys(existing));
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${newKeyEncryptionKey()}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    // Another process of this data dir made it first: use theirs.
    if (error.code !== 'EEXIST') throw error;
  });
  await chmod(file, 0o600);
  if (!config.sandbox.enabled) logger?.warn({ file }, 'KEY_ENCRYPTION_KEYS is not set: the private keys in the database are sealed with a key made in the data dir; set KEY_ENCRYPTION_KEYS or KEY_ENCRYPTION_KEY_FILE from your secret store');
  return new KeySealer(parseKeyEncryptionKeys(await readFile(file, 'utf8')));
}
