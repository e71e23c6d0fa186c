#!/usr/bin/env node
// Entry point of the `portico` command. It runs the compiled JavaScript in dist/ (built by
// `npm install` through the `prepare` script, or `npm run build`) when dist/ is at least as new as
// every file under src/, and the TypeScript sources through tsx's loader otherwise (while
// developing), so an edit is never hidden behind an older build.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..');

function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(file) : statSync(file).mtimeMs);
  }
  return Math.max(newest, statSync(dir).mtimeMs);
}

function compiledIsCurrent() {
  try {
    const { startedAt } = JSON.parse(readFileSync(path.join(REPO, 'dist', 'build.json'), 'utf8'));
    // An image ships dist/ alone (Dockerfile): with no sources beside it, it is what there is to run.
    if (!existsSync(path.join(REPO, 'src'))) return typeof startedAt === 'number';
    return typeof startedAt === 'number' && newestChange(path.join(REPO, 'src')) <= startedAt;
  } catch {
    return false;
  }
}

if (compiledIsCurrent()) {
  await import('../dist/cli/portico.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/portico.ts');
}
