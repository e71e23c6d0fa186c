import { createConsentsModule, type ConsentsApi } from '../../src/modules/consents/index.ts';
import { MemoryCache, type Cache } from '../../src/platform/cache/index.ts';
import type { Db } from '../../src/platform/db/index.ts';
import type { PersonalDataCipher } from '../../src/platform/keystore/index.ts';

/** The personal data ciphers of the platforms tests started, by their database (startTestPortico). */
export const platformCiphers = new WeakMap<Db, PersonalDataCipher>();

/**
 * The consents module on a test database; with no cache given, one of its own that nobody else
 * shares. On a started platform's database it encrypts and opens consents with the platform's data
 * keys, as the platform does; on a database of its own it keeps them in the clear.
 */
export function consentsOf(db: Db, cache: Cache = new MemoryCache()): ConsentsApi {
  return createConsentsModule({ db, cache, cipher: platformCiphers.get(db) });
}
