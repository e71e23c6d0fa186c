import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { InProcessWake } from './in-process-wake.ts';
import type { JobWake } from './job-wake.ts';

/** The PostgreSQL notification channel of job wake-ups. */
export const JOB_WAKE_CHANNEL = 'portico_jobs';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 30_000;

/**
 * Wake-ups across processes through PostgreSQL LISTEN/NOTIFY: `wake()` notifies on the shared pool
 * (a NOTIFY sent outside a transaction is delivered at once); each listener holds one dedicated
 * connection, re-opened with backoff when it drops. A reconnected listener is called once, since
 * wake-ups sent while it was away are lost. A process that both serves the API and runs jobs wakes
 * its own workers at once, as `InProcessWake` does, and no other: the job it just scheduled starts
 * without a database round trip, and other workers still find any job it leaves at their next poll.
 * Only a process with no worker listening (an API process) notifies through PostgreSQL, and a
 * notification that comes back to the process that sent it is ignored.
 */
export class PostgresWake implements JobWake {
  /** The notification payload of this instance's wake-ups: its own listeners skip them. */
  private readonly origin = randomUUID();
  private readonly own = new InProcessWake();

  constructor(
    private readonly db: Db,
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  wake(): void {
    if (this.own.listening) {
      this.own.wake();
      return;
    }
    sql`SELECT pg_notify(${JOB_WAKE_CHANNEL}, ${this.origin})`.execute(this.db).catch((err: unknown) => this.logger.warn({ err }, 'could not wake the workers; the job runs at their next poll'));
  }

  async listen(listener: () => void): Promise<() => Promise<void>> {
    const stopOwn = await this.own.listen(listener);
    let stopped = false;
    let client: pg.Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    let failures = 0;
    const open = async (): Promise<void> => {
      const next = new pg.Client({ connectionString: this.connectionString });
      // A dropped connection emits 'error' and/or 'end'; the first of them on the current client reconnects.
      const lose = (err?: unknown) => {
        if (next !== client) return;
        client = undefined;
        next.end().catch(() => undefined);
        later(err);
      };
      next.on('error', lose);
      next.on('end', () => lose());
      next.on('notification', (message) => {
        if (message.channel === JOB_WAKE_CHANNEL && message.payload !== this.origin) listener();
      });
      try {
        await next.connect();
        await next.query(`LISTEN ${JOB_WAKE_CHANNEL}`);
      } catch (err) {
        await next.end().catch(() => undefined);
        throw err;
      }
      if (stopped) await next.end().catch(() => undefined);
      else client = next;
    };
    const later = (err: unknown) => {
      if (stopped) return;
      failures += 1;
      if (failures === 1 || failures % 20 === 0) this.logger.warn({ err, failures }, 'job wake-up connection lost; reconnecting (jobs still run at each poll)');
      retry = setTimeout(() => {
        retry = undefined;
        open().then(
          () => {
            this.logger.info('job wake-up connection re-established');
            failures = 0;
            listener();
          },
          later,
        );
      }, Math.min(RECONNECT_MIN_MS * 2 ** (failures - 1), RECONNECT_MAX_MS));
      retry.unref();
    };
    try {
      await open();
    } catch (err) {
      await stopOwn();
      throw err;
    }
    return async () => {
      stopped = true;
      await stopOwn();
      if (retry) clearTimeout(retry);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    };
  }
}
