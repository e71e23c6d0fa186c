import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eventsApiOver, retryDelayMs, type DueNotification, type EventsApi, type NotificationSender, type PushOutcome } from '../../../src/modules/events/index.ts';
import { createKyselyEventsRepository } from '../../../src/modules/events/infra/kysely-events-repository.ts';
import type { EventsRepository, NewNotification } from '../../../src/modules/events/events.repository.port.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { waitFor } from '../../support/wait-for.ts';

const HOUR_MS = 3_600_000;
const SETTINGS = { pollMs: 20, retryBaseMs: 40, retryMaxMs: 200, breakerFailures: 3, breakerOpenMs: 400, leaseMs: 5000, concurrencyPerTpp: 2, maxInFlight: 64 };

/** A TPP endpoint the test scripts: what it answers, how long it takes, and what it received in what order. */
class ScriptedTpps implements NotificationSender {
  readonly received: DueNotification[] = [];
  readonly attempts = new Map<string, number>();
  readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  answer: (notification: DueNotification) => PushOutcome = () => ({ delivered: true });
  delayMs: (notification: DueNotification) => number = () => 0;

  async send(notification: DueNotification): Promise<PushOutcome> {
    const busy = (this.inFlight.get(notification.clientId) ?? 0) + 1;
    this.inFlight.set(notification.clientId, busy);
    this.maxInFlight.set(notification.clientId, Math.max(busy, this.maxInFlight.get(notification.clientId) ?? 0));
    this.attempts.set(notification.id, (this.attempts.get(notification.id) ?? 0) + 1);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs(notification)));
      const outcome = this.answer(notification);
      if (outcome.delivered) this.received.push(notification);
      return outcome;
    } finally {
      this.inFlight.set(notification.clientId, (this.inFlight.get(notification.clientId) ?? 1) - 1);
    }
  }
}

/** The module's settings and lookups for these tests: pushes only, nothing looked up. */
const API_DEPS = {
  callbackUrls: { allowlist: ['https://localhost:*'], registeredHostsOf: async () => [] },
  lookups: { consentKinds: async () => new Map(), filePaymentsOf: async () => new Map(), unavailableAccounts: async () => new Set<string>(), accessConsentsTo: async () => [], clientsOfOrganisations: async () => [] },
  settings: { retentionMs: 24 * HOUR_MS, longPollMs: 0, pushRetryMs: 24 * HOUR_MS, push: SETTINGS },
};

for (const dialect of DIALECTS) {
  describe(`pushing notifications (${dialect})`, () => {
    let database: TestDatabase;
    let repository: EventsRepository;
    let events: EventsApi;

    before(async () => {
      database = await openTestDatabase(dialect);
      repository = createKyselyEventsRepository(database.db);
      events = eventsApiOver(repository, API_DEPS);
    });
    after(() => database.close());

    /** A TPP subscribed with a callback URL, and `count` notifications of each of its `resources`. */
    async function tppWith(resources: number, count: number, retryUntil = new Date(Date.now() + HOUR_MS)): Promise<{ tpp: string; ids: string[][] }> {
      const tpp = `tpp-${randomUUID()}`;
      await events.subscribe(tpp, { callbackUrl: 'https://localhost:9443/cb', kinds: null, version: '4.0' });
      const ids: string[][] = [];
      const batch: NewNotification[] = [];
      for (let r = 0; r < resources; r += 1) {
        const resource = randomUUID();
        ids.push([]);
        for (let i = 0; i < count; i += 1) {
          const id = randomUUID();
          ids[r]!.push(id);
          batch.push({ id, clientId: tpp, sourceEventId: randomUUID(), kinds: ['resource-update'], resource: { type: 'consent', kind: 'account-access', id: resource }, correlationId: null, occurredAt: new Date(), expiresAt: new Date(Date.now() + HOUR_MS), pushAt: new Date(), retryUntil });
        }
      }
      await repository.raise(batch);
      return { tpp, ids };
    }

    async function statusOf(id: string) {
      return database.db.selectFrom('event_notifications').select(['status', 'attempts', 'last_error', 'next_attempt_at']).where('id', '=', id).executeTakeFirstOrThrow();
    }

    it("delivers every notification once, each resource's in the order raised, at most the per-TPP limit at a time", async () => {
      const tpps = new ScriptedTpps();
      tpps.delayMs = () => 5;
      const { tpp, ids } = await tppWith(4, 5);
      const pusher = events.startPushing(tpps, silentLogger);
      try {
        await waitFor(() => tpps.received.filter((n) => n.clientId === tpp).length === 20, 'all 20 notifications');
      } finally {
        await pusher.stop();
      }
      for (const resourceIds of ids) {
        assert.deepEqual(tpps.received.filter((n) => resourceIds.includes(n.id)).map((n) => n.id), resourceIds, 'in raising order');
      }
      assert.equal(new Set(tpps.received.map((n) => n.id)).size, tpps.received.length, 'each once');
      assert.ok((tpps.maxInFlight.get(tpp) ?? 0) <= SETTINGS.concurrencyPerTpp);
      assert.deepEqual((await statusOf(ids[0]![0]!)).status, 'delivered');
      assert.equal((await events.poll(tpp, { maxEvents: 50, returnImmediately: true, ack: [], errors: [] })).notifications.length, 0, 'delivered ones are not polled');
    });

    it('a stop while outcomes are being recorded returns once they are: the last pushes are not pushed again after a restart', async () => {
      // Recording delivered pushes is slow (a busy database): the stop comes while it is under way.
      let recording: Promise<void> | undefined;
      const slow: EventsRepository = Object.assign(Object.create(repository) as EventsRepository, {
        recordDelivered: (ids: readonly string[], at: Date) => (recording = new Promise<void>((resolve) => setTimeout(resolve, 300)).then(() => repository.recordDelivered(ids, at))),
      });
      const slowEvents = eventsApiOver(slow, API_DEPS);
      const tpps = new ScriptedTpps();
      const { tpp, ids } = await tppWith(1, 1);
      const pusher = slowEvents.startPushing(tpps, silentLogger);
      await waitFor(() => tpps.received.some((n) => n.clientId === tpp) && recording !== undefined, 'the push, and its outcome being recorded');
      await pusher.stop();
      assert.equal((await statusOf(ids[0]![0]!)).status, 'delivered', 'recorded before the stop returned');
    });

    it('retries a failing push with backoff, then delivers it; a refusal goes to the dead-letter queue at once', async () => {
      const tpps = new ScriptedTpps();
      const flaky = (await tppWith(1, 1)).ids[0]![0]!;
      const refused = (await tppWith(1, 1)).ids[0]![0]!;
      tpps.answer = (n) => (n.id === refused ? { delivered: false, error: 'the TPP answered 400', retryable: false } : (tpps.attempts.get(n.id) ?? 0) < 3 ? { delivered: false, error: 'the TPP answered 500', retryable: true } : { delivered: true });
      const pusher = events.startPushing(tpps, silentLogger);
      try {
        await waitFor(async () => (await statusOf(flaky)).status === 'delivered' && (await statusOf(refused)).status === 'dead', 'the flaky delivered, the refused dead');
      } finally {
        await pusher.stop();
      }
      assert.equal(tpps.attempts.get(flaky), 3);
      assert.equal(tpps.attempts.get(refused), 1);
      assert.deepEqual({ ...(await statusOf(refused)), next_attempt_at: null }, { status: 'dead', attempts: 1, last_error: 'the TPP answered 400', next_attempt_at: null });
    });

    it('dead-letters a push still failing at the end of its retry window, lists it, and replays it on request', async () => {
      const tpps = new ScriptedTpps();
      const { tpp, ids } = await tppWith(1, 1, new Date(Date.now() + 150));
      const doomed = ids[0]![0]!;
      tpps.answer = () => ({ delivered: false, error: 'timed out', retryable: true });
      let pusher = events.startPushing(tpps, silentLogger);
      try {
        await waitFor(async () => (await statusOf(doomed)).status === 'dead', 'the notification dead-lettered');
      } finally {
        await pusher.stop();
      }
      assert.ok((tpps.attempts.get(doomed) ?? 0) >= 2, 'retried before giving up');
      assert.deepEqual((await events.deadLetters(10, tpp)).map((n) => [n.id, n.lastError]), [[doomed, 'timed out']]);
      // Still pollable while dead.
      assert.deepEqual((await events.poll(tpp, { maxEvents: 5, returnImmediately: true, ack: [], errors: [] })).notifications.map((n) => n.id), [doomed]);
      tpps.answer = () => ({ delivered: true });
      assert.equal(await events.replay([doomed]), 1);
      pusher = events.startPushing(tpps, silentLogger);
      try {
        await waitFor(async () => (await statusOf(doomed)).status === 'delivered', 'the replayed notification delivered');
      } finally {
        await pusher.stop();
      }
      assert.deepEqual(await events.deadLetters(10, tpp), []);
    });

    it("a TPP that keeps failing has its circuit opened and holds only its own slots: another TPP's pushes go through meanwhile", async () => {
      const tpps = new ScriptedTpps();
      const { tpp: broken } = await tppWith(10, 1);
      const { tpp: healthy } = await tppWith(10, 1);
      tpps.delayMs = (n) => (n.clientId === broken ? 50 : 0);
      tpps.answer = (n) => (n.clientId === broken ? { delivered: false, error: 'the TPP answered 503', retryable: true } : { delivered: true });
      const pusher = events.startPushing(tpps, silentLogger);
      try {
        await waitFor(() => tpps.received.filter((n) => n.clientId === healthy).length === 10, "the healthy TPP's notifications");
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        await pusher.stop();
      }
      const brokenAttempts = [...tpps.attempts].filter(([id]) => tpps.received.every((n) => n.id !== id)).reduce((sum, [, n]) => sum + n, 0);
      // Three failures open the circuit: while it is open, no attempt is made.
      assert.ok(brokenAttempts <= SETTINGS.breakerFailures + SETTINGS.concurrencyPerTpp + 2, `attempts at the broken TPP while its circuit was open: ${brokenAttempts}`);
      assert.ok((tpps.maxInFlight.get(broken) ?? 0) <= SETTINGS.concurrencyPerTpp);
    });

    it('a crash between push and record delivers again with the same id: the lease ends and another pusher takes it', async () => {
      const id = (await tppWith(1, 1)).ids[0]![0]!;
      const claimed = await repository.claimDue(new Date(), new Date(Date.now() + 100), 1000, []);
      assert.ok(claimed.some((n) => n.id === id), 'claimed by the process that then crashed');
      assert.equal((await repository.claimDue(new Date(), new Date(Date.now() + 100), 1000, [])).some((n) => n.id === id), false, 'no one else takes it while leased');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const tpps = new ScriptedTpps();
      const pusher = events.startPushing(tpps, silentLogger);
      try {
        await waitFor(() => tpps.received.some((n) => n.id === id), 'the notification pushed by the next process');
      } finally {
        await pusher.stop();
      }
    });

    it('retry delays double up to their ceiling, with jitter in the upper half', () => {
      const settings = { retryBaseMs: 1000, retryMaxMs: 3_600_000 };
      assert.equal(retryDelayMs(0, settings, () => 0), 500);
      assert.equal(retryDelayMs(0, settings, () => 1), 1000);
      assert.equal(retryDelayMs(3, settings, () => 1), 8000);
      assert.equal(retryDelayMs(40, settings, () => 0), 1_800_000);
    });
  });
}
