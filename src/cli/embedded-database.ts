import path from 'node:path';
import type { Config } from '../platform/config/index.ts';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '../platform/db/index.ts';
import { porticoMigrations } from '../app/portico-migrations.ts';
import { DataDirInUseError, lockDataDir, type DataDirLock } from '../platform/data-dir/index.ts';
import { CliError } from './cli-errors.ts';
import { runningServer, type RunningServer } from './running-server.ts';

export interface DatabaseWork<T> {
  /** The command's work on the database, opened by this process. */
  direct(database: DatabaseHandle): Promise<T>;
  /**
   * The same work through the API of the server that holds the embedded database, when one does
   * and serves the sandbox API; without it, such a server stops the command with a clear error.
   */
  viaServer?(server: RunningServer): Promise<T>;
  /** Apply pending migrations before `direct` (default true). */
  readonly migrate?: boolean;
}

/**
 * Runs a command's work on the configured database. PostgreSQL is shared by design: the work runs
 * on it directly. The embedded PGlite belongs to one process, so the data dir is locked first;
 * held by a running server, the work goes through that server's API (`viaServer`), or the command
 * stops: a second process writing the files would lose its writes or corrupt the server's.
 */
export async function withDatabase<T>(config: Config, work: DatabaseWork<T>): Promise<T> {
  let lock: DataDirLock | undefined;
  if (!config.database.url) {
    try {
      lock = await lockDataDir(config.dataDir);
    } catch (error) {
      if (!(error instanceof DataDirInUseError)) throw error;
      const { holder } = error;
      if (work.viaServer && holder.url && holder.sandbox) return work.viaServer(runningServer(config.dataDir, { ...holder, url: holder.url }));
      const why = !work.viaServer ? '' : holder.url ? ', a Portico server with sandbox mode off' : ', which serves no API yet';
      throw new CliError(`${error.message}${why}; stop it and run the command again (the embedded database allows one process at a time)`);
    }
  }
  try {
    const database = await createDatabase({ url: config.database.url, pgliteDir: path.join(config.dataDir, 'pglite'), migrations: porticoMigrations });
    try {
      if (work.migrate ?? true) await migrateToLatest(database.db as never, porticoMigrations);
      return await work.direct(database);
    } finally {
      await database.close();
    }
  } finally {
    await lock?.release();
  }
}
