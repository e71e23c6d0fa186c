import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { runPortico } from '../support/run-portico.ts';

const portico = runPortico;

describe('portico keys rotate (PostgreSQL)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    env = { DATABASE_URL: database.url!, DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), 'portico-keys-')) };
  });
  after(async () => {
    await database.close();
  });

  it('creates new PS256 and ES256 keys that sign after the activation delay, and retires the previous ones then', async () => {
    const first = await portico(['keys', 'rotate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, '');
    assert.match(
      first.stdout,
      /^Created signing keys \(local key manager\): [\w-]{43}, [\w-]{43}\nPublished now; they sign from \d{4}-\d\d-\d\dT[\d:.]+Z, on every instance, without a restart\.\nRetired \(sign until then, published 3900 s more\): none\n/,
    );
    const activation = new Date(/sign from (\S+),/.exec(first.stdout)![1]!).getTime();
    assert.ok(Math.abs(activation - Date.now() - 2 * 3600_000) < 60_000, 'two hours from now by default');

    const second = await portico(['keys', 'rotate', '--activate-in-seconds', '60', '--keep-retired-seconds', '600'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Created signing keys .+\nPublished now; .+\nRetired \(sign until then, published 600 s more\): [\w-]{43}, [\w-]{43}\nDropped: none\n$/);
    const rows = await database.db.selectFrom('auth_signing_keys').select(['alg', 'status']).orderBy('alg').orderBy('status').execute();
    assert.deepEqual(rows, [
      { alg: 'ES256', status: 'active' },
      { alg: 'ES256', status: 'retired' },
      { alg: 'PS256', status: 'active' },
      { alg: 'PS256', status: 'retired' },
    ]);
  });

  it('answers a bad option with one line and exit code 2', async () => {
    const bad = await portico(['keys', 'rotate', '--keep-retired-seconds', 'soon'], env);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'portico: --keep-retired-seconds must be a whole number of seconds (got "soon")\n');
  });

  it('warns when the new keys would sign before every instance has reloaded them', async () => {
    const soon = await portico(['keys', 'rotate', '--activate-in-seconds', '5'], { ...env, SIGNING_KEYS_REFRESH_SECONDS: '30' });
    assert.equal(soon.code, 0);
    assert.equal(soon.stderr, "Warning: the new keys sign in 5 s, before every instance has reloaded the keys (every 30 s) and before TPPs' JWKS caches know them.\n");
  });
});
