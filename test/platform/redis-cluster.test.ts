import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from 'ioredis';
import { createCache, RedisCache } from '../../src/platform/cache/index.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { uniqueName } from '../support/backends.ts';
import { startRedisCluster, type LocalRedisCluster } from '../support/redis-cluster.ts';

// RedisCache is the only Redis client Portico has: these are every command it sends (GET, SET,
// SET NX, DEL, MULTI INCR/EXPIRE, PING), run against a real three-node cluster, which refuses a
// command whose keys span hash slots (CROSSSLOT) and redirects one sent to the wrong node (MOVED).
describe('cache on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  let cluster: LocalRedisCluster;
  let admin: Cluster;
  let cache: RedisCache;
  const prefix = `${uniqueName('cluster')}:`;
  const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);

  before(async () => {
    cluster = await startRedisCluster();
    admin = new Cluster([{ host: '127.0.0.1', port: Number(new URL(cluster.nodes[0]!).port) }]);
    cache = new RedisCache({ clusterNodes: [cluster.nodes[0]!] }, { keyPrefix: prefix });
  });
  after(async () => {
    await cache?.close();
    admin?.disconnect();
    await cluster?.stop();
  });

  it('answers ping, stores, reads and deletes values on every node', async () => {
    await cache.ping();
    await Promise.all(keys.map((key) => cache.set(key, `v-${key}`, 60)));
    assert.deepEqual(await Promise.all(keys.map((key) => cache.get(key))), keys.map((key) => `v-${key}`));
    assert.equal(await admin.get(`${prefix}${keys[0]}`), `v-${keys[0]}`);
    // The keys lie in several hash slots, held by more than one node.
    const slots = await Promise.all(keys.map((key) => admin.cluster('KEYSLOT', `${prefix}${key}`)));
    assert.ok(new Set(slots).size > 1);
    const sizes = await Promise.all(admin.nodes('master').map((node) => node.dbsize()));
    assert.ok(sizes.filter((size) => size > 0).length > 1, `keys per node ${sizes.join(',')}`);
    await cache.del(...keys);
    assert.deepEqual(await Promise.all(keys.map((key) => cache.get(key))), keys.map(() => null));
  });

  it('sets only when absent and counts within a window (MULTI on one key)', async () => {
    assert.equal(await cache.setIfAbsent('jti-1', 'seen', 60), true);
    assert.equal(await cache.setIfAbsent('jti-1', 'again', 60), false);
    const counts = await Promise.all(Array.from({ length: 10 }, () => cache.increment('counter', 60)));
    assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => i + 1));
    assert.ok((await admin.ttl(`${prefix}counter`)) > 0);
  });

  it('is what the configuration builds from REDIS_CLUSTER_NODES', async () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: cluster.nodes.join(' , ') }, '/');
    assert.deepEqual(config.cache.redisClusterNodes, cluster.nodes);
    const configured = createCache(config.cache, { keyPrefix: prefix });
    try {
      assert.equal(configured.kind, 'redis');
      await configured.set('from-config', 'yes', 60);
      assert.equal(await cache.get('from-config'), 'yes');
    } finally {
      await configured.close();
    }
  });
});
