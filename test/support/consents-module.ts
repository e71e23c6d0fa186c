import { createConsentsModule, type ConsentsApi } from '../../src/modules/consents/index.ts';
import { MemoryCache, type Cache } from '../../src/platform/cache/index.ts';
import type { Db } from '../../src/platform/db/index.ts';

/** The consents module on a test database; with no cache given, one of its own that nobody else shares. */
export function consentsOf(db: Db, cache: Cache = new MemoryCache()): ConsentsApi {
  return createConsentsModule({ db, cache });
}
