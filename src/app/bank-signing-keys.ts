import type { Logger } from 'pino';
import { ensureSigningKeys, SigningKeyRing } from '../auth/index.ts';
import type { Config } from '../platform/config/index.ts';
import type { Db } from '../platform/db/index.ts';
import { DataKeyRing, PersonalDataCipher, type KeyManager, type KeySealer } from '../platform/keystore/index.ts';
import { createKeyManagers } from './key-managers.ts';
import { PAYEE_FINGERPRINT_KEYS, PERSONAL_DATA_KEYS } from './personal-data-keys.ts';

export interface BankSigningKeys {
  readonly ring: SigningKeyRing;
  readonly managers: readonly KeyManager[];
  close(): Promise<void>;
}

/**
 * The bank's signing keys for the authorisation server, the response signatures and the event
 * SETs: made on first start, then reloaded every SIGNING_KEYS_REFRESH_SECONDS so that a rotation
 * (`portico keys rotate`) reaches this instance without a restart.
 */
export async function loadBankSigningKeys(config: Config, database: Db, sealer: KeySealer, logger: Logger): Promise<BankSigningKeys> {
  const managers = await createKeyManagers(config, sealer);
  await ensureSigningKeys(database, { keys: managers[0]! });
  const ring = await SigningKeyRing.load(database, { managers });
  ring.startRefreshing(config.keys.refreshSeconds, (error) => logger.warn({ err: error }, 'could not reload the signing keys: signing with those held'));
  return {
    ring,
    managers,
    async close() {
      ring.stopRefreshing();
      await Promise.all(managers.map((manager) => manager.close()));
    },
  };
}

/**
 * The cipher of personal data at rest: data keys made on first start, sealed under the
 * key-encryption key, reloaded as they rotate (`portico keys rotate-data-key`).
 */
export async function loadPersonalDataCipher(config: Config, database: Db, sealer: KeySealer, logger: Logger): Promise<{ readonly cipher: PersonalDataCipher; readonly ring: DataKeyRing }> {
  const ring = await DataKeyRing.load(database, sealer, PERSONAL_DATA_KEYS);
  ring.startRefreshing(config.keys.refreshSeconds, (error) => logger.warn({ err: error }, 'could not reload the data keys: encrypting with those held'));
  return { cipher: new PersonalDataCipher(ring, { encrypt: config.keys.encryptPersonalData }), ring };
}

/** The key of payee fingerprints: a data key of its own purpose, made on first start, sealed under the key-encryption key. */
export async function loadPayeeFingerprintKey(database: Db, sealer: KeySealer): Promise<Buffer> {
  return (await DataKeyRing.load(database, sealer, PAYEE_FINGERPRINT_KEYS)).active.key;
}
