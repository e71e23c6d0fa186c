import type { Selectable } from 'kysely';
import { ownTables, type Db } from '../../../platform/db/index.ts';
import type { EventSubscription, Notification, NotifiedResource } from '../events-model.ts';
import type { EventsRepository } from '../events.repository.port.ts';
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
  };
}

