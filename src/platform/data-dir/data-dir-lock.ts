import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** The process holding a data dir, as its lock file says, and what it serves once it listens. */
export interface DataDirHolder {
  readonly pid: number;
  /** Tells this process's own locks from ones an earlier process with the same pid left behind. */
  readonly lockId?: string;
  /** A URL of this machine the holder's HTTPS server answers on (set once it listens). */
  readonly url?: string;
  /** Whether the holder serves the sandbox API (`/sandbox/v1/*`). */
  readonly sandbox?: boolean;
  /** The bearer token of the holder's operator API; the lock file is readable by its owner only. */
  readonly operatorToken?: string;
}

/** Another live process holds the data dir. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder,
  ) {
    super(`the data dir ${dataDir} is in use by pid ${holder.pid}`);
    this.name = 'DataDirInUseError';
  }
}

/** A held data dir: tell others where this process serves, and let go of it. */
export interface DataDirLock {
  readonly file: string;
  /** Rewrites the lock file with what this process serves, for commands run beside it. */
  announce(serving: Omit<DataDirHolder, 'pid' | 'lockId'>): Promise<void>;
  release(): Promise<void>;
}

export const DATA_DIR_LOCK_FILE = 'portico.lock';

/** Ids of the locks this process holds or is creating: its own pid under any other id was left by an earlier process (a container's pid 1). */
const heldHere = new Set<string>();

/**
 * PGlite is one process's database: a second process opening the same files does not see the
 * first one's writes, and what it writes is lost or corrupts them. So every opener of a data dir
 * takes this lock first: a file created atomically (a hard link of a complete file, which fails
 * when the name exists) holding the holder's pid. A lock whose pid is no longer alive is stale
 * (the holder crashed or was killed) and is taken over. Two processes taking over the same stale
 * lock at the same moment are told apart by renaming it: only one rename finds the stale file.
 */
export async function lockDataDir(directory: string): Promise<DataDirLock> {
  const dataDir = path.resolve(directory);
  await fsp.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, DATA_DIR_LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const lockId = randomBytes(9).toString('base64url');
    heldHere.add(lockId);
    if (await createLockFile(file, { pid: process.pid, lockId })) return heldLock(file, lockId);
    heldHere.delete(lockId);
    const holder = await readLockFile(file);
    if (holder === 'missing') continue;
    // A lock file is only ever linked or renamed into place complete, so an unreadable one is debris.
    if (holder !== 'unreadable' && holdsLock(holder)) throw new DataDirInUseError(dataDir, publicView(holder));
    await takeOverStale(file, holder === 'unreadable' ? undefined : holder);
  }
  const holder = await readLockFile(file);
  throw new DataDirInUseError(dataDir, typeof holder === 'object' ? publicView(holder) : { pid: 0 });
}

/** The live process holding the data dir, if any (a stale lock counts as none). */
export async function dataDirHolder(dataDir: string): Promise<DataDirHolder | undefined> {
  const file = path.join(path.resolve(dataDir), DATA_DIR_LOCK_FILE);
  const holder = await readLockFile(file);
  return typeof holder === 'object' && holdsLock(holder) ? publicView(holder) : undefined;
}

function publicView({ lockId: _lockId, ...holder }: DataDirHolder): DataDirHolder {
  return holder;
}

function heldLock(file: string, lockId: string): DataDirLock {
  let held = true;
  // A process that exits without releasing (an uncaught error) still removes its lock; a killed
  // one leaves it behind for the next opener to take over.
  const onExit = () => {
    if (!held) return;
    try {
      const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as DataDirHolder;
      if (holder.lockId === lockId) fs.unlinkSync(file);
    } catch {
      // gone already
    }
  };
  process.once('exit', onExit);
  return {
    file,
    async announce(serving) {
      if (!held) throw new Error('the data dir lock was released');
      const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
      await fsp.writeFile(temporary, JSON.stringify({ ...serving, pid: process.pid, lockId }), { mode: 0o600 });
      // rename(2) replaces the lock file atomically: readers see the old content or the new.
      await fsp.rename(temporary, file);
    },
    async release() {
      if (!held) return;
      held = false;
      process.removeListener('exit', onExit);
      const holder = await readLockFile(file);
      if (typeof holder === 'object' && holder.lockId === lockId) await fsp.rm(file, { force: true });
      heldHere.delete(lockId);
    },
  };
}

async function createLockFile(file: string, holder: DataDirHolder): Promise<boolean> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await fsp.writeFile(temporary, JSON.stringify(holder), { mode: 0o600 });
  try {
    await fsp.link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fsp.rm(temporary, { force: true });
  }
}

async function readLockFile(file: string): Promise<DataDirHolder | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<DataDirHolder>;
    return typeof holder.pid === 'number' && Number.isInteger(holder.pid) && holder.pid > 0 ? (holder as DataDirHolder) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Moves the stale lock aside and removes it; if another opener took it over meanwhile, puts theirs back. */
async function takeOverStale(file: string, stale: DataDirHolder | undefined): Promise<void> {
  const aside = `${file}.stale.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    await fsp.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readLockFile(aside);
  if (typeof moved === 'object' && (moved.pid !== stale?.pid || moved.lockId !== stale.lockId) && holdsLock(moved)) {
    await fsp.link(aside, file).catch(() => undefined);
  }
  await fsp.rm(aside, { force: true });
}

function holdsLock(holder: DataDirHolder): boolean {
  return holder.pid === process.pid ? holder.lockId !== undefined && heldHere.has(holder.lockId) : isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

