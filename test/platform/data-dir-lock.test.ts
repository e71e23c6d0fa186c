import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DATA_DIR_LOCK_FILE, DataDirInUseError, dataDirHolder, lockDataDir } from '../../src/platform/data-dir/index.ts';

const freshDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'portico-lock-'));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('data dir lock', () => {
  it('refuses a second opener of a held data dir, naming the holder, until the holder releases it', async () => {
    const dir = await freshDir();
    const first = await lockDataDir(dir);
    const holding = JSON.parse(await fs.readFile(path.join(dir, DATA_DIR_LOCK_FILE), 'utf8')) as { pid: number };
    assert.equal(holding.pid, process.pid);
    assert.equal((await fs.stat(path.join(dir, DATA_DIR_LOCK_FILE))).mode & 0o777, 0o600);
    await assert.rejects(lockDataDir(dir), (error) => {
      assert.ok(error instanceof DataDirInUseError);
      assert.equal(error.message, `the data dir ${dir} is in use by pid ${process.pid}`);
      return true;
    });
    await first.release();
    await assert.rejects(fs.stat(path.join(dir, DATA_DIR_LOCK_FILE)), { code: 'ENOENT' });
    const second = await lockDataDir(dir);
    await second.release();
  });

  it('publishes what the holder serves to other processes, owner-readable only', async () => {
    const dir = await freshDir();
    const lock = await lockDataDir(dir);
    assert.deepEqual(await dataDirHolder(dir), { pid: process.pid });
    await lock.announce({ url: 'https://127.0.0.1:8443', sandbox: true, operatorToken: 'secret' });
    assert.deepEqual(await dataDirHolder(dir), { url: 'https://127.0.0.1:8443', sandbox: true, operatorToken: 'secret', pid: process.pid });
    assert.equal((await fs.stat(path.join(dir, DATA_DIR_LOCK_FILE))).mode & 0o777, 0o600);
    await lock.release();
    assert.equal(await dataDirHolder(dir), undefined);
  });

  it('takes over a stale lock left by a process that died, and one left by an earlier process with its own pid', async () => {
    const dir = await freshDir();
    const file = path.join(dir, DATA_DIR_LOCK_FILE);
    await fs.writeFile(file, JSON.stringify({ pid: deadPid(), url: 'https://127.0.0.1:1' }));
    assert.equal(await dataDirHolder(dir), undefined, 'a dead holder is no holder');
    const taken = await lockDataDir(dir);
    assert.equal((JSON.parse(await fs.readFile(file, 'utf8')) as { pid: number }).pid, process.pid);
    await taken.release();

    // A container restarts its server as pid 1 again: the pid in the lock is its own, yet not held.
    await fs.writeFile(file, JSON.stringify({ pid: process.pid }));
    const again = await lockDataDir(dir);
    await again.release();

    await fs.writeFile(file, 'torn');
    const afterDebris = await lockDataDir(dir);
    await afterDebris.release();
  });

  it('lets exactly one of many simultaneous openers hold the data dir', async () => {
    const dir = await freshDir();
    await fs.writeFile(path.join(dir, DATA_DIR_LOCK_FILE), JSON.stringify({ pid: deadPid() }));
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => lockDataDir(dir)));
    const held = attempts.filter((attempt) => attempt.status === 'fulfilled');
    assert.equal(held.length, 1, JSON.stringify(attempts.map((attempt) => attempt.status)));
    for (const attempt of attempts) if (attempt.status === 'rejected') assert.ok(attempt.reason instanceof DataDirInUseError);
    await held[0]!.value.release();
  });
});
