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

  it('creates new PS256 and ES256 keys and retires the previous ones', async () => {
    const first = await portico(['keys', 'rotate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, '');
    assert.match(first.stdout, /^Created signing keys: [\w-]{43}, [\w-]{43}\nRetired \(published for 3900 s more\): none\n/);

    const second = await portico(['keys', 'rotate', '--keep-retired-seconds', '600'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Created signing keys: .+\nRetired \(published for 600 s more\): [\w-]{43}, [\w-]{43}\nDropped: none\nRestart the Portico instances/);
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
    assert.equal(bad.stderr, 'portico: --keep-retired-seconds must be a whole number (got "soon")\n');
  });
});
