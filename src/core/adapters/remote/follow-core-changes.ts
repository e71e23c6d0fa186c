import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Db } from '../../../platform/db/index.ts';
import { recordEvents, type EventDefinition, type Fact } from '../../../platform/events/index.ts';
import { CoreAccountChangedV1, CoreOrdersChangedV1, CorePaymentStatusChangedV1, CorePostedV1 } from '../../core-events.ts';
import { coreGatewayWire as wire, type CoreChange } from '../../gateway/index.ts';
import type { CoreGatewayClient } from './core-gateway-client.ts';

type CursorTables = { core_feed_cursors: { feed: string; cursor: string; followed_at: Date } };

const FEED = 'core';
const BATCH = 500;
const MAX_BACKOFF_MS = 30_000;

export interface FollowCoreChangesOptions {
  /** How long the gateway may hold a poll with nothing new (the contract's `waitSeconds`). */
  readonly waitSeconds: number;
  /** Extra time allowed for the answer beyond the wait. */
  readonly timeoutMs: number;
}

/** A change of the feed as the catalogue's core event, with the aggregate it belongs to. */
function asCatalogueEvent(change: CoreChange): { definition: EventDefinition<unknown>; fact: Fact<unknown> } {
  const common = { id: change.id, tppClientId: null, occurredAt: new Date(change.occurredAt), correlationId: null };
  const payload = change.payload as Record<string, unknown> & { accountIds: string[] };
  switch (change.type) {
    case 'Posted':
      return { definition: CorePostedV1 as EventDefinition<unknown>, fact: { ...common, aggregateId: String(payload['entryId']), payload: CorePostedV1.payload.parse(payload) } };
    case 'PaymentStatusChanged':
      return { definition: CorePaymentStatusChangedV1 as EventDefinition<unknown>, fact: { ...common, aggregateId: String(payload['externalRef']), payload: CorePaymentStatusChangedV1.payload.parse(payload) } };
    case 'OrdersChanged':
      return { definition: CoreOrdersChangedV1 as EventDefinition<unknown>, fact: { ...common, aggregateId: payload.accountIds[0]!, payload: CoreOrdersChangedV1.payload.parse(payload) } };
    case 'AccountChanged':
      return { definition: CoreAccountChangedV1 as EventDefinition<unknown>, fact: { ...common, aggregateId: payload.accountIds[0]!, payload: CoreAccountChangedV1.payload.parse(payload) } };
  }
}

/**
 * Follows the remote core's change feed (`GET /changes`, long polls) and records each change as
 * the catalogue's core event in the platform's outbox, with the feed's cursor advanced in the same
 * transaction: the read model, the read cache and TPP notifications then react as they do to the
 * built-in ledger's events. Any number of workers may follow: a cursor only moves from the value a
 * follower read, so a page is recorded once; the others' copies are dropped.
 */
export class CoreChangeFollower {
  private readonly db;
  private stopped = true;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly platformDb: Db,
    private readonly gateway: CoreGatewayClient,
    private readonly logger: Logger,
    private readonly options: FollowCoreChangesOptions,
  ) {
    this.db = platformDb.withTables<CursorTables>();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.running;
  }

  /** When the feed last answered a follower (of any process); undefined before the first answer. */
  async followedAt(): Promise<Date | undefined> {
    return (await this.db.selectFrom('core_feed_cursors').select('followed_at').where('feed', '=', FEED).executeTakeFirst())?.followed_at;
  }

  /** Reads one page of the feed and records it; how many changes were recorded (0 when another follower got there first). */
  async followOnce(waitSeconds = this.options.waitSeconds): Promise<number> {
    const row = await this.db.selectFrom('core_feed_cursors').select('cursor').where('feed', '=', FEED).executeTakeFirst();
    const query = new URLSearchParams({ limit: String(BATCH), waitSeconds: String(waitSeconds), ...(row ? { after: row.cursor } : {}) });
    const page = await this.gateway.call('GET', `changes?${query.toString()}`, {
      decode: wire.changePageWire,
      idempotent: true,
      timeoutMs: waitSeconds * 1000 + this.options.timeoutMs,
    });
    if (!page) return 0;
    const events = page.changes.flatMap((change) => {
      try {
        return [asCatalogueEvent(change)];
      } catch (error) {
        this.logger.error({ err: error, changeId: change.id, type: change.type }, 'a change of the core feed does not fit its event: skipped');
        return [];
      }
    });
    return this.platformDb.transaction().execute(async (trx) => {
      const cursors = trx.withTables<CursorTables>();
      const moved = row
        ? await cursors.updateTable('core_feed_cursors').set({ cursor: page.cursor, followed_at: new Date() }).where('feed', '=', FEED).where('cursor', '=', row.cursor).executeTakeFirst()
        : await cursors.insertInto('core_feed_cursors').values({ feed: FEED, cursor: page.cursor, followed_at: new Date() }).onConflict((oc) => oc.column('feed').doNothing()).executeTakeFirst();
      const count = 'numUpdatedRows' in moved ? moved.numUpdatedRows : (moved.numInsertedOrUpdatedRows ?? 0n);
      if (count === 0n) return 0;
      for (const { definition, fact } of events) await recordEvents(trx, definition, [fact]);
      return events.length;
    });
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.followOnce();
        if (failures > 0) this.logger.info('core change feed reachable again');
        failures = 0;
      } catch (error) {
        if (this.stopped) return;
        if (failures === 0) this.logger.warn({ err: error }, 'core change feed unreachable: retrying with backoff');
        failures += 1;
        await sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 8)), undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }
}
