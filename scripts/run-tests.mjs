#!/usr/bin/env node
// Runs the test suite with Node's test runner: every test/**/*.test.ts file (or the files and
// folders given as arguments), TypeScript loaded through tsx.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function collect(entry) {
  if (statSync(entry).isDirectory()) {
    return readdirSync(entry).sort().flatMap((name) => collect(path.join(entry, name)));
  }
  return entry.endsWith('.test.ts') ? [entry] : [];
}

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : ['test']).flatMap(collect);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
// The usual reporter (spec on a terminal, TAP otherwise) and, after it, a list of what failed.
const reporters = [
  '--test-reporter', process.stdout.isTTY ? 'spec' : 'tap', '--test-reporter-destination', 'stdout',
  '--test-reporter', pathToFileURL(path.join(import.meta.dirname, 'failures-reporter.mjs')).href, '--test-reporter-destination', 'stdout',
];
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...reporters, ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
