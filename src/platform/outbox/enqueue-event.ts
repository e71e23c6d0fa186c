import { sql, type Kysely, type Transaction } from 'kysely';
import { prepared, type DatabaseSchema } from '../db/index.ts';
import type { BusEvent } from '../bus/index.ts';

/** An event as the outbox stores it: the bus event with the whole contract envelope. */
export type OutboxEvent = BusEvent & Required<Pick<BusEvent, 'type' | 'version' | 'aggregate' | 'tppClientId'>>;

type Writer = Transaction<DatabaseSchema> | Kysely<DatabaseSchema>;

/**
 * Inserts events, each of a distinct aggregate, as the next version of its aggregate
 * (`event.aggregate.version` is ignored) and answers those versions in the order of `events`: the
 * aggregates' stream rows (`event_streams`) are bumped and the events inserted in one statement,
 * one round trip. The stream rows stay locked until the caller's transaction ends, so an
 * aggregate's events commit in version order; they are bumped in aggregate order, so two batches
 * on common aggregates lock them in the same order; and each event is selected from its bumped
 * row, so its `seq` (the order the relay publishes an aggregate's events in) is drawn only once
 * that lock is held, in version order too.
 */
export async function enqueueNextEventsOfAggregates(trx: Writer, events: readonly OutboxEvent[]): Promise<Array<{ readonly version: number; readonly correlationId: string | null }>> {
  if (events.length === 0) return [];
  const rows = events.map(rowOf);
  const keys = new Set(rows.map((row) => `${row.aggregate_type}\u0000${row.aggregate_id}`));
  if (keys.size !== rows.length) throw new RangeError('enqueueNextEventsOfAggregates: two events of one aggregate; record them one after the other');
  const ordered = [...rows].sort((a, b) => (a.aggregate_type === b.aggregate_type ? compare(a.aggregate_id, b.aggregate_id) : compare(a.aggregate_type, b.aggregate_type)));
  // Each column as one array parameter (unnest), so the statement's text and plan do not grow with the batch.
  const column = <K extends keyof (typeof rows)[number]>(rowsInOrder: typeof rows, key: K) => rowsInOrder.map((row) => row[key]);
  const { rows: stored } = await sql<{ id: string; aggregate_version: number; correlation_id: string | null }>`
    WITH stream AS (
      INSERT INTO event_streams (aggregate_type, aggregate_id, version, correlation_id)
      SELECT t, a, 1, c FROM unnest(${column(ordered, 'aggregate_type')}::text[], ${column(ordered, 'aggregate_id')}::text[], ${column(ordered, 'correlation_id')}::text[]) WITH ORDINALITY AS s(t, a, c, n)
      ORDER BY n
      ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET version = event_streams.version + 1, correlation_id = coalesce(excluded.correlation_id, event_streams.correlation_id)
      RETURNING aggregate_type, aggregate_id, version, correlation_id
    )
    INSERT INTO outbox_events (id, subject, payload, occurred_at, event_type, event_version, aggregate_type, aggregate_id, aggregate_version, tpp_client_id, correlation_id)
    SELECT e.id, e.subject, e.payload, e.occurred_at, e.event_type, e.event_version, e.aggregate_type, e.aggregate_id, stream.version, e.tpp_client_id, stream.correlation_id
    FROM unnest(
      ${column(rows, 'id')}::uuid[], ${column(rows, 'subject')}::text[], ${column(rows, 'payload')}::jsonb[], ${column(rows, 'occurred_at')}::timestamptz[],
      ${column(rows, 'event_type')}::text[], ${column(rows, 'event_version')}::integer[], ${column(rows, 'aggregate_type')}::text[], ${column(rows, 'aggregate_id')}::text[],
      ${column(rows, 'tpp_client_id')}::text[]
    ) AS e(id, subject, payload, occurred_at, event_type, event_version, aggregate_type, aggregate_id, tpp_client_id)
    JOIN stream ON stream.aggregate_type = e.aggregate_type AND stream.aggregate_id = e.aggregate_id
    RETURNING id, aggregate_version, correlation_id ${prepared()}`.execute(trx);
  const byId = new Map(stored.map((row) => [row.id, { version: row.aggregate_version, correlationId: row.correlation_id }]));
  return rows.map((row) => byId.get(row.id)!);
}

/**
 * Inserts events that are each the only event of their aggregate (version 1), in one statement,
 * inside the caller's transaction. Every event is of the typed catalogue: modules and the core
 * record them through `recordEvents` (src/platform/events), which numbers versions and checks payloads.
 */
export async function enqueueEvents(trx: Writer, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length > 0) await trx.insertInto('outbox_events').values(events.map(rowOf)).execute();
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function rowOf(event: OutboxEvent) {
  return {
    id: event.id,
    subject: event.subject,
    payload: JSON.stringify(event.payload),
    occurred_at: event.occurredAt,
    event_type: event.type,
    event_version: event.version,
    aggregate_type: event.aggregate.type,
    aggregate_id: event.aggregate.id,
    aggregate_version: event.aggregate.version,
    tpp_client_id: event.tppClientId,
    correlation_id: event.correlationId ?? null,
  };
}
