import { describe, before, after, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { unpublishedBacklog } from '../../src/platform/outbox/index.ts';
import { sql } from 'kysely';
import { CoreChangeFollower, RemoteCoreBanking } from '../../src/core/adapters/remote/index.ts';
import { ChangeFeed, changeFeedBus } from '../../src/core/gateway/index.ts';
import type { BusEvent } from '../../src/platform/bus/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { startTestCoreGateway, type TestCoreGateway } from '../support/core-gateway.ts';
import { fund, openAccount } from '../support/ledger-fixtures.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { waitFor } from '../support/wait-for.ts';

const accountChanged = (accountId: string): BusEvent => ({
  id: randomUUID(),
  subject: `core-account.${accountId}.AccountChanged.v1`,
  occurredAt: new Date().toISOString(),
  type: 'AccountChanged',
  version: 1,
  payload: { accountIds: [accountId] },
});

describe('core change feed: the reference gateway feed and the follower that records it in the platform outbox (PostgreSQL)', () => {
  let gateway: TestCoreGateway;
  let platform: TestDatabase;
  let core: RemoteCoreBanking;
  let feed: ChangeFeed;
  let clearing: string;

  before(async () => {
    gateway = await startTestCoreGateway();
    platform = await openTestDatabase('postgres');
    core = new RemoteCoreBanking(gateway.connect());
    feed = new ChangeFeed(gateway.coreDb.db);
    // The ledger's clearing account, where payments leaving the bank go.
    clearing = await openAccount(gateway.coreDb.db, { internal: true });
    await gateway.coreDb.db.updateTable('bank_accounts').set({ id: 'gl-clearing-GBP' }).where('id', '=', clearing).execute();
    clearing = 'gl-clearing-GBP';
  });
  after(async () => {
    await gateway?.close();
    await platform?.close();
  });

  /** Reads the whole feed from the start. */
  async function everything(): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = (await feed.read(cursor, 100, 0))!;
      if (page.changes.length === 0) return ids;
      ids.push(...page.changes.map((change) => change.id));
      cursor = page.cursor;
    }
  }

  it('a change committed after a later one is not skipped: readers see neither until the earlier transaction ends, then both, in commit-safe order', async () => {
    const start = (await feed.read(undefined, 1000, 0))!;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedEarly = new Promise<void>((resolve) => (inserted = resolve));
    const early = accountChanged('early-account');
    const late = accountChanged('late-account');
    const slow = gateway.coreDb.db.transaction().execute(async (trx) => {
      await changeFeedBus(trx).publish(early);
      inserted();
      await held;
    });
    await insertedEarly;
    await changeFeedBus(gateway.coreDb.db).publish(late);
    const whileOpen = (await feed.read(start.cursor, 100, 0))!;
    assert.deepEqual(whileOpen.changes, [], 'the later commit waits for the open transaction that started before it');
    assert.equal(whileOpen.cursor, start.cursor);
    release();
    await slow;
    // Visible once no transaction older than them is running (the gateway's relay runs its own).
    let after = whileOpen;
    await waitFor(async () => (after = (await feed.read(start.cursor, 100, 0))!).changes.length > 0, 'the feed shows the changes');
    assert.deepEqual(after.changes.map((change) => change.id), [early.id, late.id]);
    assert.deepEqual((await feed.read(after.cursor, 100, 0))!.changes, []);
    // Publishing an event again (a relay retrying after a crash) adds nothing.
    await changeFeedBus(gateway.coreDb.db).publish(late);
    assert.deepEqual((await feed.read(after.cursor, 100, 0))!.changes, []);
  });

  it('refuses a cursor it did not mint', async () => {
    assert.equal(await feed.read('not-a-cursor', 10, 0), undefined);
  });

  it('a long poll answers with a change committed while it waits', async () => {
    let start = (await feed.read(undefined, 1000, 0))!;
    for (let next = start; next.changes.length > 0; next = (await feed.read(start.cursor, 1000, 0))!) start = next;
    const waiting = feed.read(start.cursor, 10, 10_000);
    const change = accountChanged('polled-account');
    await changeFeedBus(gateway.coreDb.db).publish(change);
    assert.deepEqual((await waiting)!.changes.map((c) => c.id), [change.id]);
  });

  it('the follower records a payment\'s Posted and PaymentStatusChanged as catalogue core events, once, with the feed\'s ids, even with two followers racing', async () => {
    const follower = new CoreChangeFollower(platform.db, gateway.connect(), silentLogger, { waitSeconds: 0, timeoutMs: 2000 });
    const rival = new CoreChangeFollower(platform.db, gateway.connect(), silentLogger, { waitSeconds: 0, timeoutMs: 2000 });
    // Catch up with what earlier tests left in the feed.
    while ((await follower.followOnce(0)) > 0);
    const debtor = await openAccount(gateway.coreDb.db);
    await fund(gateway.coreDb.db, clearing, debtor, 10_00n);
    const externalRef = `follow-${randomUUID()}`;
    const answer = await core.submit({ externalRef, kind: 'domestic-payment', debtor: { accountId: debtor }, creditor: { name: 'Payee', scheme: 'SortCodeAccountNumber', identification: '40400412345678' }, amount: { amountMinor: 3_00n, currency: 'GBP' }, requestedAt: new Date() });
    assert.equal(answer.outcome, 'accepted');
    // The gateway's relay moves the ledger's events into its feed.
    const feedIds = new Set<string>();
    await waitFor(async () => {
      for (const id of await everything()) feedIds.add(id);
      return (await unpublishedBacklog(gateway.coreDb.db)).waiting === 0;
    }, 'the gateway relay published its events into the feed');
    // The feed shows a change once every transaction older than it has ended, on the whole server
    // (another test's open transaction holds it back): both followers race until it is recorded.
    const rounds: number[][] = [];
    const recordedEvents = () =>
      platform.db.selectFrom('outbox_events').select(['id', 'event_type', 'aggregate_type', 'aggregate_id', 'payload']).where('event_type', 'in', ['Posted', 'PaymentStatusChanged']).execute();
    await waitFor(async () => {
      rounds.push(await Promise.all([follower.followOnce(0), rival.followOnce(0)]));
      return (await recordedEvents()).some((event) => event.event_type === 'PaymentStatusChanged' && event.aggregate_id === externalRef);
    }, 'the followers to record the payment');
    const events = await recordedEvents();
    const payment = events.filter((event) => event.event_type === 'PaymentStatusChanged' && event.aggregate_id === externalRef);
    assert.equal(payment.length, 1);
    assert.equal(payment[0]!.aggregate_type, 'core-payment');
    assert.deepEqual((payment[0]!.payload as { status: string; accountIds: string[] }).status, 'booked');
    assert.ok(feedIds.has(payment[0]!.id), 'the outbox event keeps the feed change\'s id');
    const posted = events.filter((event) => event.event_type === 'Posted' && (event.payload as { accountIds: string[] }).accountIds.includes(debtor));
    assert.equal(posted.length, 2, 'the funding and the payment');
    assert.ok(
      rounds.every((recorded) => recorded.includes(0)) || rounds.flat().reduce((a, b) => a + b, 0) === new Set(events.map((e) => e.id)).size,
      'a page is recorded by one follower',
    );
    assert.equal(await follower.followOnce(0), 0, 'nothing new');
    const followedAt = await follower.followedAt();
    assert.ok(followedAt && Date.now() - followedAt.getTime() < 60_000);
    const cursorRows = await sql<{ count: string }>`SELECT count(*)::text AS count FROM core_feed_cursors`.execute(platform.db);
    assert.equal(cursorRows.rows[0]!.count, '1');
  });
});
