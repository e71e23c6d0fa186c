import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { MemoryCache, RedisCache, type Cache } from '../../src/platform/cache/index.ts';
import { TEST_REDIS_URL, uniqueName } from '../support/backends.ts';

const adapters: Array<[string, () => Cache]> = [
  ['memory', () => new MemoryCache()],
  ['redis', () => new RedisCache(TEST_REDIS_URL, { keyPrefix: `${uniqueName('test')}:` })],
];

for (const [name, create] of adapters) {
  describe(`cache (${name})`, () => {
    let cache: Cache;
    before(() => {
      cache = create();
    });
    after(async () => {
      await cache.close();
    });

    it('answers ping', async () => {
      await cache.ping();
    });

    it('stores, reads and deletes values', async () => {
      assert.equal(await cache.get('absent'), null);
      await cache.set('k', 'v');
      assert.equal(await cache.get('k'), 'v');
      await cache.del('k');
      assert.equal(await cache.get('k'), null);
    });

    it('expires values after their TTL', async () => {
      await cache.set('short', 'lived', 1);
      assert.equal(await cache.get('short'), 'lived');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal(await cache.get('short'), null);
    });

    it('sets only when absent (replay protection)', async () => {
      assert.equal(await cache.setIfAbsent('jti-1', 'seen', 60), true);
      assert.equal(await cache.setIfAbsent('jti-1', 'again', 60), false);
      assert.equal(await cache.get('jti-1'), 'seen');
    });

    it('counts within a window', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => cache.increment('counter', 60)));
      assert.deepEqual([...results].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });
}

describe('cache (redis) shared between processes', () => {
  it('lets one instance see what another wrote', async () => {
    const prefix = `${uniqueName('shared')}:`;
    const a = new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix });
    const b = new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix });
    try {
      await a.set('session', 'from-a', 60);
      assert.equal(await b.get('session'), 'from-a');
      assert.equal(await b.setIfAbsent('session', 'from-b', 60), false);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('cache (redis) under Redis Cluster rules', () => {
  it('never sends a command naming several keys (a multi-key command across hash slots fails with CROSSSLOT)', async () => {
    const prefix = `${uniqueName('slots')}:`;
    const cache = new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix });
    // Every command the cache's connection writes, with its keys as they go out (prefixed). Recorded
    // at the client rather than with MONITOR, whose output ioredis mis-parses while other clients
    // of the shared server are busy.
    type SendCommand = (this: Redis, command: { name: string; args: unknown[] }, stream?: unknown) => unknown;
    const sendCommand = Redis.prototype.sendCommand as unknown as SendCommand;
    const seen: string[][] = [];
    (Redis.prototype as unknown as { sendCommand: SendCommand }).sendCommand = function (command, stream) {
      if (this.options.keyPrefix === prefix) seen.push([command.name, ...command.args.map(String)]);
      return sendCommand.call(this, command, stream);
    };
    try {
      await cache.ping();
      await Promise.all(['a', 'b', 'c'].map((key) => cache.set(key, key, 60)));
      assert.deepEqual(await Promise.all(['a', 'b', 'c', 'absent'].map((key) => cache.get(key))), ['a', 'b', 'c', null]);
      await cache.del('a', 'b', 'c');
      assert.deepEqual(await Promise.all(['a', 'b', 'c'].map((key) => cache.get(key))), [null, null, null]);
      await cache.ping();
      const keyed = seen.filter((args) => args.slice(1).some((arg) => arg.startsWith(prefix)));
      assert.deepEqual([...new Set(keyed.map((args) => args[0]!.toLowerCase()))].sort(), ['del', 'get', 'set']);
      for (const args of keyed) assert.equal(args.filter((arg) => arg.startsWith(prefix)).length, 1, args.join(' '));
    } finally {
      (Redis.prototype as unknown as { sendCommand: SendCommand }).sendCommand = sendCommand;
      await cache.close();
    }
  });
});
