import { sql, type Generated } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bus, BusEvent } from '../../platform/bus/index.ts';
import type { Db, Json } from '../../platform/db/index.ts';
import type { CoreChange } from './core-gateway-wire.ts';

type FeedTables = {
  core_change_feed: { seq: Generated<bigint>; xid: Generated<string>; id: string; change: Json<CoreChange>; recorded_at: Generated<Date> };
};

/** A feed cursor: the transaction id and sequence number of the last change handed out. */
const CURSOR = /^(\d{1,20})\.(\d{1,19})$/;
const START = '0.0';
/** How often a waiting read looks again. */
const WAIT_STEP_MS = 100;
/** Changes are kept this long (docs/core-gateway.openapi.yaml promises at least 7 days). */
export const CHANGE_RETENTION_DAYS = 7;

export interface ChangePage {
  readonly changes: CoreChange[];
  readonly cursor: string;
}

/**
 * The change feed of the reference core gateway: the built-in ledger's core events, which its
 * outbox relay "publishes" into `core_change_feed` (`changeFeedBus`), read by cursor in commit
 * order. A row is visible to readers only once every transaction that started before it ended
 * (`pg_snapshot_xmin`), so cursors never skip a late commit.
 */
export class ChangeFeed {
  private readonly db;

  constructor(db: Db) {
    this.db = db.withTables<FeedTables>();
  }

  /** Undefined for a cursor this feed did not mint. */
  async read(after: string | undefined, limit: number, waitMs: number, signal?: AbortSignal): Promise<ChangePage | undefined> {
    const match = CURSOR.exec(after ?? START);
    if (!match) return undefined;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const rows = await this.db
        .selectFrom('core_change_feed')
        .select(['seq', sql<string>`xid::text`.as('xid'), 'change'])
        .where(sql<boolean>`(xid, seq) > (${match[1]}::xid8, ${match[2]}::bigint)`)
        .where(sql<boolean>`xid < pg_snapshot_xmin(pg_current_snapshot())`)
        .orderBy('xid')
        .orderBy('seq')
        .limit(limit)
        .execute();
      const last = rows.at(-1);
      if (last) return { changes: rows.map((row) => row.change), cursor: `${last.xid}.${last.seq}` };
      if (Date.now() >= deadline || signal?.aborted) return { changes: [], cursor: after ?? START };
      await sleep(Math.min(WAIT_STEP_MS, deadline - Date.now()), undefined, { signal }).catch(() => undefined);
    }
  }

  /** Deletes changes older than the retention period; how many. */
  async deleteExpired(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - CHANGE_RETENTION_DAYS * 24 * 3600_000);
    const result = await this.db.deleteFrom('core_change_feed').where('recorded_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/**
 * The bus the gateway's outbox relay publishes to: each core event becomes a row of the feed, once
 * per event id (a relay that re-publishes after a crash writes nothing new).
 */
export function changeFeedBus(db: Db): Bus {
  const feed = db.withTables<FeedTables>();
  return {
    kind: 'memory',
    async publish(event: BusEvent) {
      const change: CoreChange = {
        id: event.id,
        type: event.type as CoreChange['type'],
        version: 1,
        occurredAt: event.occurredAt,
        payload: event.payload as CoreChange['payload'],
      };
      await feed.insertInto('core_change_feed').values({ id: event.id, change: JSON.stringify(change) }).onConflict((oc) => oc.column('id').doNothing()).execute();
    },
    subscribe() {
      return Promise.reject(new Error('the core gateway feed is read through GET /changes, not subscribed to'));
    },
    async ping() {},
    async close() {},
  };
}
