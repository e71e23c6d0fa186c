import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');
const SPECS = path.join(REPO, 'specs');

/** Every file under `dir` (relative to the repository), skipping installed and generated folders. */
function filesUnder(dir: string): string[] {
  return readdirSync(path.join(REPO, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (['node_modules', 'data', 'dist', '.bench'].includes(name)) return [];
    return statSync(path.join(REPO, relative)).isDirectory() ? filesUnder(relative) : [relative];
  });
}

/** Path reads of the specs folder that used to sit beside the repository. */
const FORBIDDEN = [/\.\.\/shared\b/, /shared[/\\]specs/, /['"`]shared['"`]\s*,\s*['"`]specs['"`]/];
const THIS_FILE = path.relative(REPO, import.meta.filename);

describe('the repository is self-contained', () => {
  it('no code, test, benchmark, script, CI step or doc reads the specs from a folder beside the repository', () => {
    const scanned = ['src', 'test', 'bench', 'scripts', 'bin', '.ci', 'docs'].flatMap(filesUnder).concat(['package.json', 'README.md']);
    assert.ok(scanned.includes(path.join('test', 'support', 'openapi.ts')), 'the scan reaches test/support');
    const offenders = scanned.filter((file) => file !== THIS_FILE).flatMap((file) =>
      readFileSync(path.join(REPO, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (FORBIDDEN.some((pattern) => pattern.test(line)) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(offenders, [], `use the vendored specs/ folder instead:\n${offenders.join('\n')}`);
  });

  it('every vendored spec file is listed in specs/SOURCES.md with its sha256, and is byte for byte the listed one', () => {
    const sources = readFileSync(path.join(SPECS, 'SOURCES.md'), 'utf8');
    const listed = new Map([...sources.matchAll(/^\| `([^`]+)` \| [\d,]+ \| `([0-9a-f]{64})` \|$/gm)].map((m) => [m[1]!, m[2]!]));
    const vendored = filesUnder('specs').map((file) => path.relative('specs', file)).filter((file) => file !== 'SOURCES.md');
    assert.ok(vendored.includes(path.join('uk-obie', 'v4.0', 'account-info-openapi.json')));
    assert.deepEqual([...listed.keys()].sort(), vendored.map((file) => file.split(path.sep).join('/')).sort());
    for (const [file, sha256] of listed) {
      assert.equal(createHash('sha256').update(readFileSync(path.join(SPECS, file))).digest('hex'), sha256, file);
    }
  });
});
