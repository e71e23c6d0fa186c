#!/usr/bin/env node
// Builds what `portico start` runs in production and after `npm install` (the `prepare` script):
//   1. src/**/*.ts → dist/**/*.js with tsc -p tsconfig.build.json (transpiled only; `npm run
//      typecheck` checks types), and every other file under src/ (PSU page assets, extracted OB
//      schemas) copied beside them, so dist/ mirrors src/ file for file and at the same depth;
//   2. dist/pglite-template: an empty, initialised PGlite data directory that a new embedded
//      database copies instead of running initdb (src/platform/db/pglite-template.ts);
//   3. dist/build.json, written last, with the time the build started: bin/portico.mjs runs dist/
//      only when no file under src/ changed since then, and the TypeScript sources through tsx
//      otherwise.
// Without TypeScript (an install that left out devDependencies) it builds nothing and says so:
// bin/portico.mjs then runs the sources through tsx, a runtime dependency.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..');
const SRC = path.join(REPO, 'src');
const DIST = path.join(REPO, 'dist');
const startedAt = Date.now();

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.warn('portico build: TypeScript is not installed; skipping the build (portico runs the sources through tsx)');
  process.exit(0);
}

rmSync(DIST, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(REPO, 'tsconfig.build.json')], { cwd: REPO, stdio: 'inherit' });
if (compiled.status !== 0) {
  rmSync(DIST, { recursive: true, force: true });
  console.error('portico build: tsc failed');
  process.exit(compiled.status ?? 1);
}

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const source = path.join(dir, name);
    if (statSync(source).isDirectory()) copyAssets(source);
    else if (!name.endsWith('.ts')) {
      const target = path.join(DIST, path.relative(SRC, source));
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(source, target);
    }
  }
}
copyAssets(SRC);

const { createPgliteTemplate, PGLITE_TEMPLATE_DIR } = await import(path.join(DIST, 'platform/db/index.js'));
// The list the composition root assembles from each owner's migrations (src/app/portico-migrations.ts).
const { porticoMigrations } = await import(path.join(DIST, 'app/portico-migrations.js'));
if (path.dirname(PGLITE_TEMPLATE_DIR) !== DIST) throw new Error(`unexpected template location ${PGLITE_TEMPLATE_DIR}`);
await createPgliteTemplate(porticoMigrations, PGLITE_TEMPLATE_DIR);

writeFileSync(path.join(DIST, 'build.json'), `${JSON.stringify({ startedAt })}\n`);
console.log(`portico build: dist/ ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
