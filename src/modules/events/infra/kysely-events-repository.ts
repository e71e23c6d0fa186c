import { sql, type Selectable } from 'kysely';
import { ownTables, type Db } from '../../../platform/db/index.ts';
import type { EventSubscription, Notification, NotifiedResource } from '../events-model.ts';
import type { DueNotification, EventsRepository } from '../events.repository.port.ts';
import type { EventNotificationsTable, EventSubscriptionsTable, EventsTables } from './events.tables.ts';

function subscriptionOf(row: Selectable<EventSubscriptionsTable>): EventSubscription {
  return {
    id: row.id,
    clientId: row.client_id,
    callbackUrl: row.callback_url,
    kinds: row.kinds,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function notificationOf(row: Selectable<EventNotificationsTable>): Notification {
  return {
    id: row.id,
    clientId: row.client_id,
    kinds: row.kinds,
    resource: row.resource as NotifiedResource,
    correlationId: row.correlation_id,
    occurredAt: row.occurred_at,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

function dueOf(row: Selectable<EventNotificationsTable> & { readonly callback_url: string | null }): DueNotification {
  return { ...notificationOf(row), callbackUrl: row.callback_url ?? '', retryUntil: row.retry_until };
}

/** Subscriptions and notifications in the `event_subscriptions` and `event_notifications` tables. */
export function createKyselyEventsRepository(database: Db): EventsRepository {
  const db = ownTables<EventsTables>(database);
  return {
    async subscriptionOf(clientId) {
      const row = await db.selectFrom('event_subscriptions').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return row && subscriptionOf(row);
    },

    async subscriptionsOf(clientIds) {
      if (clientIds.length === 0) return new Map();
      const rows = await db.selectFrom('event_subscriptions').selectAll().where('client_id', 'in', [...new Set(clientIds)]).execute();
      return new Map(rows.map((row) => [row.client_id, subscriptionOf(row)]));
    },

    async insertSubscription(subscription) {
      const inserted = await db
        .insertInto('event_subscriptions')
        .values({
          id: subscription.id,
          client_id: subscription.clientId,
          callback_url: subscription.callbackUrl,
          kinds: JSON.stringify(subscription.kinds),
          version: subscription.version,
          created_at: subscription.createdAt,
          updated_at: subscription.updatedAt,
        })
        .onConflict((oc) => oc.column('client_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async updateSubscription(clientId, id, request, now) {
      const row = await db
        .updateTable('event_subscriptions')
        .set({ callback_url: request.callbackUrl, kinds: JSON.stringify(request.kinds), version: request.version, updated_at: now })
        .where('client_id', '=', clientId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && subscriptionOf(row);
    },

    async deleteSubscription(clientId, id) {
      const result = await db.deleteFrom('event_subscriptions').where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async raise(notifications) {
      if (notifications.length === 0) return 0;
      const rows = await db
        .insertInto('event_notifications')
        .values(
          notifications.map((n) => ({
            id: n.id,
            client_id: n.clientId,
            source_event_id: n.sourceEventId,
            kinds: JSON.stringify(n.kinds),
            resource: JSON.stringify(n.resource),
            resource_key: `${n.resource.type}:${n.resource.id}`,
            correlation_id: n.correlationId,
            occurred_at: n.occurredAt,
            created_at: new Date(),
            expires_at: n.expiresAt,
            status: 'pending' as const,
            next_attempt_at: n.pushAt,
            retry_until: n.retryUntil,
          })),
        )
        .onConflict((oc) => oc.column('source_event_id').doNothing())
        .returning('id')
        .execute();
      return rows.length;
    },

    async settle(clientId, acknowledged, refused, now) {
      if (acknowledged.length > 0) {
        await db
          .updateTable('event_notifications')
          .set({ status: 'acknowledged', finished_at: now, next_attempt_at: null })
          .where('client_id', '=', clientId)
          .where('id', 'in', [...new Set(acknowledged)])
          .where('status', 'in', ['pending', 'dead'])
          .execute();
      }
      for (const { id, error } of refused) {
        await db
          .updateTable('event_notifications')
          .set({ status: 'refused', finished_at: now, next_attempt_at: null, last_error: error })
          .where('client_id', '=', clientId)
          .where('id', '=', id)
          .where('status', 'in', ['pending', 'dead'])
          .execute();
      }
    },

    async waiting(clientId, limit, now) {
      const rows = await db
        .selectFrom('event_notifications')
        .selectAll()
        .where('client_id', '=', clientId)
        .where('status', 'in', ['pending', 'dead'])
        .where('expires_at', '>', now)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(notificationOf);
    },

    async deleteSpent(before, now, limit) {
      const batch = db
        .selectFrom('event_notifications')
        .select('id')
        .where((eb) => eb.or([eb('finished_at', '<', before), eb('expires_at', '<=', now)]))
        .limit(limit);
      const result = await db.deleteFrom('event_notifications').where('id', 'in', batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async claimDue(now, leaseUntil, limit, skipClients) {
      // The earliest pending push of each resource only: a later one waits for it to be delivered or dead.
      const { rows } = await sql<Selectable<EventNotificationsTable> & { callback_url: string }>`
        WITH due AS (
          SELECT n.id FROM event_notifications n
          JOIN event_subscriptions s ON s.client_id = n.client_id AND s.callback_url IS NOT NULL
          WHERE n.status = 'pending' AND n.next_attempt_at <= ${now}
            AND (n.claimed_until IS NULL OR n.claimed_until < ${now})
            AND NOT (n.client_id = ANY(${[...skipClients]}::text[]))
            AND NOT EXISTS (
              SELECT 1 FROM event_notifications e
              WHERE e.resource_key = n.resource_key AND e.seq < n.seq AND e.status = 'pending' AND e.next_attempt_at IS NOT NULL
            )
          ORDER BY n.next_attempt_at, n.seq
          LIMIT ${limit}
          FOR UPDATE OF n SKIP LOCKED
        )
        UPDATE event_notifications n SET claimed_until = ${leaseUntil}
        FROM due, event_subscriptions s
        WHERE n.id = due.id AND s.client_id = n.client_id
        RETURNING n.*, s.callback_url`.execute(db);
      return rows.sort((a, b) => (a.seq < b.seq ? -1 : 1)).map(dueOf);
    },

    async recordDelivered(ids, now) {
      if (ids.length === 0) return;
      await db
        .updateTable('event_notifications')
        .set((eb) => ({ status: 'delivered', finished_at: now, claimed_until: null, next_attempt_at: null, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', [...ids])
        .where('status', '=', 'pending')
        .execute();
    },

    async recordFailed(failures) {
      if (failures.length === 0) return;
      const values = sql.join(failures.map((f) => sql`(${f.id}::text, ${f.error}::text, ${f.retryAt}::timestamptz)`));
      await sql`
        UPDATE event_notifications n
        SET attempts = n.attempts + 1, last_error = v.error, claimed_until = NULL, next_attempt_at = v.retry_at,
            status = CASE WHEN v.retry_at IS NULL THEN 'dead' ELSE 'pending' END
        FROM (VALUES ${values}) AS v(id, error, retry_at)
        WHERE n.id = v.id AND n.status = 'pending'`.execute(db);
    },

    async release(ids, dueAt) {
      if (ids.length === 0) return;
      await db
        .updateTable('event_notifications')
        .set((eb) => ({ claimed_until: null, next_attempt_at: dueAt ?? eb.ref('next_attempt_at') }))
        .where('id', 'in', [...ids])
        .where('status', '=', 'pending')
        .execute();
    },

    async deadLetters(limit, clientId) {
      let query = db
        .selectFrom('event_notifications as n')
        .leftJoin('event_subscriptions as s', 's.client_id', 'n.client_id')
        .selectAll('n')
        .select('s.callback_url')
        .where('n.status', '=', 'dead');
      if (clientId !== undefined) query = query.where('n.client_id', '=', clientId);
      const rows = await query.orderBy('n.seq').limit(limit).execute();
      return rows.map(dueOf);
    },

    async replay(ids, now, retryUntil) {
      let query = db.updateTable('event_notifications').set({ status: 'pending', next_attempt_at: now, claimed_until: null, attempts: 0, retry_until: retryUntil }).where('status', '=', 'dead');
      if (ids !== 'all') {
        if (ids.length === 0) return 0;
        query = query.where('id', 'in', [...ids]);
      }
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async queueDepth() {
      const { rows } = await sql<{ pending: string; dead: string; oldest: Date | null }>`
        SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'dead') AS dead,
               min(created_at) FILTER (WHERE status = 'pending') AS oldest
        FROM event_notifications WHERE status IN ('pending', 'dead')`.execute(db);
      return { pending: Number(rows[0]!.pending), dead: Number(rows[0]!.dead), oldestPending: rows[0]!.oldest };
    },
  };
}

