import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { migrateToLatest, type Migrations } from './migrate.ts';

/**
 * An initialised PGlite data directory with the migrations of the build applied and no data, made
 * once by `npm run build` (which `npm install` runs). A new embedded database starts as a copy of
 * it instead of running PGlite's initdb, which costs about 5 s of CPU and leaves initdb's
 * WebAssembly memory (some 450 MB) in the process, and the migrations, about 1.5 s more (measured
 * with `npm run bench:startup`); migrations added since the build are applied at start as usual.
 * Migrations only create schema, so copies share no secret. dist/ mirrors src/ at the same depth,
 * so this path holds from the sources and from the compiled files alike.
 */
export const PGLITE_TEMPLATE_DIR = path.resolve(import.meta.dirname, '../../../dist/pglite-template');

/**
 * Written into the template last: the PGlite version that made it and the migrations it has. A copy
 * is used only with that version, and only where those migrations are the first of this version's.
 */
const STAMP_FILE = 'portico-template.json';

/**
 * PostgreSQL's buffer cache inside PGlite. PGlite's default (about 160 MB) is touched in full when
 * it starts, so it is resident memory from the first second; the embedded sandbox bank's data is a
 * few MB, and a page not cached is read from the data dir through the OS page cache.
 */
export const PGLITE_START_PARAMS: readonly string[] = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

interface TemplateStamp {
  readonly pglite: string | undefined;
  readonly migrations: readonly string[];
}

/**
 * Whether a copy of the template can be migrated to `migrations`: made by the installed PGlite, and
 * its migrations the first of this version's, in order. A template made before a migration that
 * sorts among its own was added (branches merged, sources updated without a build) is not: the
 * migrator refuses a database that lacks a migration older than its newest.
 */
function usable(stamp: TemplateStamp, migrations: Migrations): boolean {
  if (stamp.pglite !== installedPgliteVersion() || !Array.isArray(stamp.migrations)) return false;
  const names = Object.keys(migrations).sort();
  const held = [...stamp.migrations].sort();
  return held.length <= names.length && held.every((name, i) => name === names[i]);
}

function installedPgliteVersion(): string | undefined {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (let depth = 0; depth < 4; depth++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === '@electric-sql/pglite') return manifest.version;
  }
  return undefined;
}

/** Makes the template at `dir` (replacing any), with the installed PGlite and `migrations` applied. */
export async function createPgliteTemplate(migrations: Migrations, dir: string = PGLITE_TEMPLATE_DIR): Promise<void> {
  const building = `${dir}.part-${process.pid}`;
  await fs.rm(building, { recursive: true, force: true });
  const pglite = await PGlite.create({ dataDir: building, startParams: [...PGLITE_START_PARAMS] });
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest(db, migrations);
  await db.destroy();
  const stamp: TemplateStamp = { pglite: installedPgliteVersion(), migrations: Object.keys(migrations) };
  await fs.writeFile(path.join(building, STAMP_FILE), `${JSON.stringify(stamp)}\n`);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(building, dir);
}

/**
 * Makes `dataDir` a copy of the template when it does not exist yet (or is empty) and the template
 * suits the installed PGlite and `migrations` (this version's); returns whether it did. The copy is built beside `dataDir` and
 * renamed into place, so an interrupted copy never looks like a database. Anything else (no
 * template, another version, a data dir already there) leaves `dataDir` to PGlite, which runs
 * initdb itself where needed.
 */
export async function copyPgliteTemplate(dataDir: string, migrations: Migrations, templateDir: string = PGLITE_TEMPLATE_DIR): Promise<boolean> {
  const existing = await fs.readdir(dataDir).catch(() => undefined);
  if (existing && existing.length > 0) return false;
  const stamp = await fs.readFile(path.join(templateDir, STAMP_FILE), 'utf8').catch(() => undefined);
  if (!stamp || !usable(JSON.parse(stamp) as TemplateStamp, migrations)) return false;
  const copying = `${dataDir}.part-${process.pid}`;
  try {
    await fs.cp(templateDir, copying, { recursive: true, filter: (source) => path.basename(source) !== STAMP_FILE });
    if (existing) await fs.rmdir(dataDir);
    await fs.rename(copying, dataDir);
    return true;
  } catch {
    // Another process made the data dir meanwhile, or the disk refused: PGlite decides.
    await fs.rm(copying, { recursive: true, force: true });
    return false;
  }
}
