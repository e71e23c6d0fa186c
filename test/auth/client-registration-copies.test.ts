import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { ClientRegistrationCopies } from '../../src/auth/index.ts';
import type { Cache } from '../../src/platform/cache/index.ts';
import { openTestCache } from '../support/backends.ts';

describe('client registrations remembered for resource requests (Redis)', () => {
  const cache = openTestCache('client-copies');
  after(() => cache.close());

  /** A registry that counts its reads and answers the registration it holds now. */
  function registry(initial: Record<string, unknown> | undefined) {
    const state = { held: initial, reads: 0 };
    return { state, find: async () => (state.reads++, state.held) };
  }

  it('reads a registration once, until the client is stored again or deleted; then reads it anew', async () => {
    const copies = new ClientRegistrationCopies(cache);
    const registered = registry({ client_id: 'c-1', software_id: 'sw-1' });
    const find = copies.through(registered);
    assert.deepEqual(await find('c-1'), { client_id: 'c-1', software_id: 'sw-1' });
    assert.deepEqual(await find('c-1'), { client_id: 'c-1', software_id: 'sw-1' });
    assert.equal(registered.state.reads, 1);

    // Another instance's copies share the generation: a DCR update through it retires this one's too.
    registered.state.held = { client_id: 'c-1', software_id: 'sw-1', client_name: 'Renamed' };
    await new ClientRegistrationCopies(cache).forgetStored('c-1');
    assert.equal((await find('c-1'))?.['client_name'], 'Renamed');
    assert.equal(registered.state.reads, 2);

    registered.state.held = undefined;
    await copies.forgetDeleted(['c-1']);
    assert.equal(await find('c-1'), undefined);
    assert.equal(await find('c-1'), undefined, 'an unknown client is never remembered');
    assert.equal(registered.state.reads, 4);
  });

  it('a deletion whose copies cannot be retired fails; a store does not', async () => {
    const down: Cache = Object.assign(Object.create(cache) as Cache, {
      del: async () => {
        throw new Error('the shared cache dropped');
      },
    });
    const copies = new ClientRegistrationCopies(down);
    await assert.rejects(copies.forgetDeleted(['c-2']), /dropped/);
    await copies.forgetStored('c-2');
  });
});
