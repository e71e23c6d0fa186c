import type { Config } from '../platform/config/index.ts';
import { LocalKeyManager, type KeyManager, type KeySealer } from '../platform/keystore/index.ts';

/**
 * The key managers of this configuration, the one that makes new keys first (KEY_MANAGER). The
 * local keystore always follows: keys it made before a switch keep signing until replaced.
 */
export async function createKeyManagers(_config: Config, sealer: KeySealer): Promise<KeyManager[]> {
  const local = new LocalKeyManager(sealer);
  return [local];
}
