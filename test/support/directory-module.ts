import { createDirectoryModule, type DirectoryApi } from '../../src/modules/directory/index.ts';
import { MemoryCache, type Cache } from '../../src/platform/cache/index.ts';
import type { Db } from '../../src/platform/db/index.ts';

/** The directory module on a test database; with no cache given, one of its own that nobody else shares. */
export function directoryOf(db: Db, cache: Cache = new MemoryCache()): DirectoryApi {
  return createDirectoryModule({ db, cache });
}
