import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { JWK } from 'jose';
import { DirectoryVerdicts, forgetDirectoryVerdicts, type TppDirectory } from '../../../src/modules/directory/index.ts';
import { openTestCache } from '../../support/backends.ts';

const SOFTWARE = { softwareId: 'software-1', jwksEndpoint: 'https://directory.example/org-1/software-1.jwks' };

/** A directory whose published keys and statement status the test changes, counting what it is asked. */
function fakeDirectory() {
  const state = { keys: [{ kty: 'RSA', kid: 'k1' }] as JWK[], status: 'Active' as 'Active' | 'Inactive', asked: 0 };
  const directory = {
    findSoftwareStatement: async (softwareId: string) => {
      state.asked += 1;
      return { softwareId, organisationId: 'org-1', status: state.status };
    },
    softwareSigningKeys: async () => ({ keys: [...state.keys] }),
  } as unknown as TppDirectory;
  return { directory, state };
}

const kids = (published: { keys: readonly JWK[] }) => published.keys.map((key) => key.kid);

describe('signing keys remembered under the directory generation (Redis)', () => {
  const cache = openTestCache('signing-keys');
  after(() => cache.close());

  it('reuses the published keys while the generation stands', async () => {
    const { directory, state } = fakeDirectory();
    const verdicts = new DirectoryVerdicts(directory, cache);
    assert.deepEqual(kids(await verdicts.softwareSigningKeys(SOFTWARE, 'k1')), ['k1']);
    assert.deepEqual(kids(await verdicts.softwareSigningKeys(SOFTWARE, 'k1')), ['k1']);
    assert.equal(state.asked, 1);
  });

  it('a key the directory stops publishing is refused at the next request at every instance once the change retires the generation', async () => {
    const { directory, state } = fakeDirectory();
    state.keys.push({ kty: 'RSA', kid: 'k2' });
    // Two instances of the platform: each remembers in its own process, both read the one shared cache.
    const instances = [new DirectoryVerdicts(directory, cache), new DirectoryVerdicts(directory, cache)];
    for (const instance of instances) assert.deepEqual(kids(await instance.softwareSigningKeys(SOFTWARE, 'k1')), ['k1', 'k2']);
    // A revocation: the directory stops publishing k1 and, once committed, retires the generation.
    state.keys = state.keys.filter((key) => key.kid !== 'k1');
    await forgetDirectoryVerdicts(cache);
    for (const instance of instances) {
      assert.deepEqual(kids(await instance.softwareSigningKeys(SOFTWARE, 'k1')), ['k2'], 'k1 is no longer among the keys');
      assert.deepEqual(kids(await instance.softwareSigningKeys(SOFTWARE, 'k2')), ['k2']);
    }
  });

  it('a key published since (rotation) is looked up at once, without a change of generation', async () => {
    const { directory, state } = fakeDirectory();
    const verdicts = new DirectoryVerdicts(directory, cache);
    assert.deepEqual(kids(await verdicts.softwareSigningKeys(SOFTWARE, 'k1')), ['k1']);
    state.keys.push({ kty: 'RSA', kid: 'k3' });
    assert.deepEqual(kids(await verdicts.softwareSigningKeys(SOFTWARE, 'k3')), ['k1', 'k3']);
    assert.equal(state.asked, 2);
  });

  it('never remembers an inactive software statement', async () => {
    const { directory, state } = fakeDirectory();
    state.status = 'Inactive';
    const verdicts = new DirectoryVerdicts(directory, cache);
    for (let i = 0; i < 2; i++) {
      const published = await verdicts.softwareSigningKeys(SOFTWARE, 'k1');
      assert.deepEqual([published.statement?.status, kids(published)], ['Inactive', []]);
    }
    assert.equal(state.asked, 2);
    state.status = 'Active';
    assert.deepEqual(kids(await verdicts.softwareSigningKeys(SOFTWARE, 'k1')), ['k1']);
  });
});
