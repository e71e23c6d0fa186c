import { readFile } from 'node:fs/promises';
import { readSecret, type Config } from '../platform/config/index.ts';
import { LocalKeyManager, Pkcs11KeyManager, VaultTransitKeyManager, type KeyManager, type KeySealer } from '../platform/keystore/index.ts';

/**
 * The key managers of this configuration, the one that makes new keys first (KEY_MANAGER). The
 * local keystore always follows: keys it made before a switch keep signing until replaced.
 */
export async function createKeyManagers(config: Config, sealer: KeySealer): Promise<KeyManager[]> {
  const local = new LocalKeyManager(sealer);
  const { manager } = config.keys;
  if (manager.kind === 'pkcs11') {
    return [await Pkcs11KeyManager.open({ library: manager.library, tokenLabel: manager.tokenLabel, pin: await readSecret(manager.pin) }), local];
  }
  if (manager.kind === 'vault') {
    const vault = new VaultTransitKeyManager({
      url: manager.url,
      token: await readSecret(manager.token),
      mount: manager.mount,
      namespace: manager.namespace,
      caPem: manager.caFile && (await readFile(manager.caFile, 'utf8')),
    });
    return [vault, local];
  }
  return [local];
}
