import type { Cache, Generations } from '../../platform/cache/index.ts';
import { buildCrl } from './certificate-revocation.ts';
import { DIRECTORY_GENERATION } from './directory-verdicts.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';

const CRL_CACHE_KEY = 'directory:crl';
/** How long one CRL is served when nothing changes; its nextUpdate (24 h) leaves ample room. */
const CRL_CACHE_SECONDS = 60;

/**
 * The CRL to publish now, shared by every instance through the cache. It is kept under the
 * directory's generation, which every revocation retires once committed (`forgetDirectoryVerdicts`),
 * so a revoked serial is listed by the next fetch at any instance (RFC 5280 §3.3: a CRL is the
 * relying party's view of revocation; a stale one lets a revoked certificate pass). The generation
 * is read before the directory, so a CRL built from data older than a revocation can only be stored
 * under the retired generation. Without the cache every fetch builds a new CRL.
 */
export async function publishedCrl(records: DirectoryRepository, cache: Cache, generations: Generations, qtsp: SandboxQtsp): Promise<Uint8Array> {
  const generation = await generations.current(DIRECTORY_GENERATION);
  if (generation !== undefined) {
    const cached = await cache.get(CRL_CACHE_KEY).catch(() => null);
    const separator = cached?.indexOf(':') ?? -1;
    if (cached && separator > 0 && cached.slice(0, separator) === generation) return Buffer.from(cached.slice(separator + 1), 'base64');
  }
  const der = new Uint8Array((await buildCrl(records, qtsp)).der);
  if (generation !== undefined) await cache.set(CRL_CACHE_KEY, `${generation}:${Buffer.from(der).toString('base64')}`, CRL_CACHE_SECONDS).catch(() => undefined);
  return der;
}
