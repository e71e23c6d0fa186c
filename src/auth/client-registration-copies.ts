import { ReadThroughCache, type Cache } from '../platform/cache/index.ts';
import type { ClientRegistryAdapter } from './client-registry.ts';

type Registration = Awaited<ReturnType<ClientRegistryAdapter['find']>>;

/**
 * The client registrations a resource request reads (the software and organisation behind a signed
 * payment request), remembered in this process under a generation in the shared cache: a read costs
 * a look at the generation instead of a database read. The adapter's hooks retire a client's
 * generation when it is stored again (DCR update) or deleted, at every instance
 * (`forgetStored`, `forgetDeleted`). Without the shared cache it reads through.
 */
export class ClientRegistrationCopies {
  private readonly copies: ReadThroughCache;

  constructor(cache: Cache) {
    this.copies = new ReadThroughCache(cache, { name: 'client-registrations', localEntries: 10_000, maxAgeMs: 60_000 });
  }

  /** `find` of the registry, through the copies. */
  through(registry: Pick<ClientRegistryAdapter, 'find'>): (clientId: string) => Promise<Registration> {
    return (clientId) => this.copies.read([clientId], 'registration', () => registry.find(clientId));
  }

  /**
   * A client stored (registered or updated): its copies are retired. Must not fail the store: were
   * the cache unreachable, a copy of the previous registration may be reused for at most a minute
   * once it answers again (what it is read for — software and organisation — a DCR update does not
   * change).
   */
  async forgetStored(clientId: string): Promise<void> {
    await this.copies.invalidate([clientId]).catch(() => undefined);
  }

  /** Clients deleted: their copies are retired, or the deletion reports the failure (it must hold everywhere). */
  forgetDeleted(clientIds: readonly string[]): Promise<void> {
    return this.copies.invalidate(clientIds);
  }
}
