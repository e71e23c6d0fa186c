import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../../..');

describe('OB MI reporting schemas and types', () => {
  it('are what the official file generates (scripts/generate-mi-reporting.mjs --check)', () => {
    const run = spawnSync(process.execPath, [path.join(REPO, 'scripts/generate-mi-reporting.mjs'), '--check'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
});
