import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { copyPgliteTemplate } from '../../src/platform/db/pglite-template.ts';
import type { Migrations } from '../../src/platform/db/migrate.ts';

const pgliteVersion = (JSON.parse(await fs.readFile(path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }).version;
const migrationsNamed = (...names: string[]): Migrations => Object.fromEntries(names.map((name) => [name, { up: async () => undefined }]));

/** When a new embedded database may start as a copy of the build's template (src/platform/db/pglite-template.ts). */
describe('the PGlite template', () => {
  let dir: string;
  const template = (held: string[], pglite = pgliteVersion) => async () => {
    const templateDir = await fs.mkdtemp(path.join(dir, 'template-'));
    await fs.writeFile(path.join(templateDir, 'PG_VERSION'), '17\n');
    await fs.writeFile(path.join(templateDir, 'portico-template.json'), JSON.stringify({ pglite, migrations: held }));
    return templateDir;
  };
  const copied = async (templateDir: string, migrations: Migrations) => {
    const dataDir = path.join(await fs.mkdtemp(path.join(dir, 'data-')), 'db');
    return copyPgliteTemplate(dataDir, migrations, templateDir);
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-template-'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('is copied when its migrations are the first of this version’s; the newer ones run at start', async () => {
    assert.equal(await copied(await template(['0001-a', '0002-b'])(), migrationsNamed('0001-a', '0002-b', '0003-c')), true);
    assert.equal(await copied(await template(['0001-a', '0002-b'])(), migrationsNamed('0001-a', '0002-b')), true);
  });

  it('is not copied when a migration that sorts among its own was added since it was made (branches merged, sources updated without a build)', async () => {
    assert.equal(await copied(await template(['0001-a', '0003-c'])(), migrationsNamed('0001-a', '0002-b', '0003-c')), false);
  });

  it('is not copied when it holds a migration this version does not know, or another PGlite made it', async () => {
    assert.equal(await copied(await template(['0001-a', '0002-x'])(), migrationsNamed('0001-a', '0002-b')), false);
    assert.equal(await copied(await template(['0001-a'], '0.0.1')(), migrationsNamed('0001-a')), false);
  });
});
