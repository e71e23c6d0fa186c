import { sql, type Kysely } from 'kysely';
import { deleteRowsBefore, ownTables, type Db } from '../../../platform/db/index.ts';
import type { ApiService, ApiStandard } from '../api-call.ts';
import type { EndpointMinute, HourlyKpi } from '../hourly-kpi.ts';
import type { InsightsRepository } from '../insights.repository.port.ts';
import type { InsightsTables } from './insights.tables.ts';

/** Rows per upsert statement: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

const chunks = <T>(rows: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
};
/** Each table's rows by the time retention goes by: hours and minutes by their start, planned downtime by its end. */
const RETAINED: ReadonlyArray<readonly [keyof InsightsTables, string]> = [
  ['insights_api_hourly', 'hour'],
  ['insights_latency_hourly', 'hour'],
  ['insights_endpoint_minutes', 'minute'],
  ['insights_serving_minutes', 'minute'],
  ['insights_planned_downtime', 'ends_at'],
];
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function createKyselyInsightsRepository(db: Db): InsightsRepository {
  const tables = (): Kysely<InsightsTables> => ownTables<InsightsTables>(db);
  return {
    async add(batch) {
      // Rows in key order, so that instances flushing at once lock them in the same order (no deadlock).
      const hourly = [...batch.hourly].sort((a, b) => a.hour.getTime() - b.hour.getTime() || compare(a.endpoint, b.endpoint) || compare(a.clientId ?? '', b.clientId ?? ''));
      const minutes = [...batch.minutes].sort((a, b) => a.minute.getTime() - b.minute.getTime() || compare(a.endpoint, b.endpoint));
      const latency = [...batch.latency].sort((a, b) => a.hour.getTime() - b.hour.getTime() || compare(a.endpoint, b.endpoint) || compare(a.clientId ?? '', b.clientId ?? '') || a.bucket - b.bucket);
      await tables()
        .transaction()
        .execute(async (trx) => {
          for (const rows of chunks(hourly)) {
            await trx
              .insertInto('insights_api_hourly')
              .values(
                rows.map((row) => ({
                  hour: row.hour,
                  endpoint: row.endpoint,
                  client_id: row.clientId ?? '',
                  standard: row.standard,
                  service: row.service,
                  calls: row.calls,
                  successes: row.successes,
                  business_failures: row.businessFailures,
                  technical_failures: row.technicalFailures,
                  rejections: row.rejections,
                  ttfb_ms_total: row.ttfbMsTotal,
                  ttlb_ms_total: row.ttlbMsTotal,
                  ttlb_ms_min: row.ttlbMsMin,
                  ttlb_ms_max: row.ttlbMsMax,
                  payload_bytes_total: row.payloadBytesTotal,
                })),
              )
              .onConflict((oc) =>
                oc.columns(['hour', 'endpoint', 'client_id']).doUpdateSet({
                  calls: sql`insights_api_hourly.calls + excluded.calls`,
                  successes: sql`insights_api_hourly.successes + excluded.successes`,
                  business_failures: sql`insights_api_hourly.business_failures + excluded.business_failures`,
                  technical_failures: sql`insights_api_hourly.technical_failures + excluded.technical_failures`,
                  rejections: sql`insights_api_hourly.rejections + excluded.rejections`,
                  ttfb_ms_total: sql`insights_api_hourly.ttfb_ms_total + excluded.ttfb_ms_total`,
                  ttlb_ms_total: sql`insights_api_hourly.ttlb_ms_total + excluded.ttlb_ms_total`,
                  ttlb_ms_min: sql`LEAST(insights_api_hourly.ttlb_ms_min, excluded.ttlb_ms_min)`,
                  ttlb_ms_max: sql`GREATEST(insights_api_hourly.ttlb_ms_max, excluded.ttlb_ms_max)`,
                  payload_bytes_total: sql`insights_api_hourly.payload_bytes_total + excluded.payload_bytes_total`,
                }),
              )
              .execute();
          }
          for (const rows of chunks(latency)) {
            await trx
              .insertInto('insights_latency_hourly')
              .values(rows.map((row) => ({ hour: row.hour, endpoint: row.endpoint, client_id: row.clientId ?? '', bucket: row.bucket, calls: row.calls })))
              .onConflict((oc) => oc.columns(['hour', 'endpoint', 'client_id', 'bucket']).doUpdateSet({ calls: sql`insights_latency_hourly.calls + excluded.calls` }))
              .execute();
          }
          for (const rows of chunks(minutes)) {
            await trx
              .insertInto('insights_endpoint_minutes')
              .values(rows.map((row) => ({ minute: row.minute, endpoint: row.endpoint, calls: row.calls, technical_failures: row.technicalFailures })))
              .onConflict((oc) =>
                oc.columns(['minute', 'endpoint']).doUpdateSet({
                  calls: sql`insights_endpoint_minutes.calls + excluded.calls`,
                  technical_failures: sql`insights_endpoint_minutes.technical_failures + excluded.technical_failures`,
                }),
              )
              .execute();
          }
          for (const rows of chunks(batch.serving.minutes)) {
            await trx
              .insertInto('insights_serving_minutes')
              .values(rows.map((minute) => ({ minute, instance_id: batch.serving.instanceId })))
              .onConflict((oc) => oc.doNothing())
              .execute();
          }
        });
    },

    async hourly(from, to) {
      const rows = await tables().selectFrom('insights_api_hourly').selectAll().where('hour', '>=', from).where('hour', '<', to).orderBy('hour').orderBy('endpoint').orderBy('client_id').execute();
      return rows.map(
        (row): HourlyKpi => ({
          hour: new Date(row.hour),
          standard: row.standard as ApiStandard,
          service: row.service as ApiService,
          endpoint: row.endpoint,
          clientId: row.client_id === '' ? null : row.client_id,
          calls: Number(row.calls),
          successes: Number(row.successes),
          businessFailures: Number(row.business_failures),
          technicalFailures: Number(row.technical_failures),
          rejections: Number(row.rejections),
          ttfbMsTotal: Number(row.ttfb_ms_total),
          ttlbMsTotal: Number(row.ttlb_ms_total),
          ttlbMsMin: Number(row.ttlb_ms_min),
          ttlbMsMax: Number(row.ttlb_ms_max),
          payloadBytesTotal: Number(row.payload_bytes_total),
        }),
      );
    },

    async latencyBuckets({ from, to, endpoint, clientId, by }) {
      let query = tables().selectFrom('insights_latency_hourly').where('hour', '>=', from).where('hour', '<', to);
      if (endpoint !== undefined) query = query.where('endpoint', '=', endpoint);
      if (clientId !== undefined) query = query.where('client_id', '=', clientId);
      if (by === 'tpp') query = query.where('client_id', '<>', '');
      const column = by === 'hour' ? 'hour' : by === 'endpoint' ? 'endpoint' : 'client_id';
      const rows = await query
        .select((eb) => [eb.ref(column).as('key'), 'bucket', eb.fn.sum<string | number>('calls').as('calls')])
        .groupBy([column, 'bucket'])
        .orderBy(column)
        .orderBy('bucket')
        .execute();
      return rows.map((row) => ({ key: row.key instanceof Date || by === 'hour' ? new Date(row.key).toISOString() : String(row.key), bucket: Number(row.bucket), calls: Number(row.calls) }));
    },

    async failingMinutes(from, to) {
      const rows = await tables()
        .selectFrom('insights_endpoint_minutes')
        .selectAll()
        .where('minute', '>=', from)
        .where('minute', '<', to)
        .where('technical_failures', '>', 0)
        .execute();
      return rows.map((row): EndpointMinute => ({ minute: new Date(row.minute), endpoint: row.endpoint, calls: Number(row.calls), technicalFailures: Number(row.technical_failures) }));
    },

    async servingMinutes(from, to) {
      const rows = await tables().selectFrom('insights_serving_minutes').select('minute').distinct().where('minute', '>=', from).where('minute', '<', to).execute();
      return rows.map((row) => new Date(row.minute));
    },

    async plannedDowntime(from, to) {
      const rows = await tables().selectFrom('insights_planned_downtime').selectAll().where('starts_at', '<', to).where('ends_at', '>', from).orderBy('starts_at').execute();
      return rows.map((row) => ({ id: row.id, from: new Date(row.starts_at), to: new Date(row.ends_at), reason: row.reason, declaredAt: new Date(row.declared_at) }));
    },

    async declarePlannedDowntime(downtime) {
      await tables()
        .insertInto('insights_planned_downtime')
        .values({ id: downtime.id, starts_at: downtime.from, ends_at: downtime.to, reason: downtime.reason, declared_at: downtime.declaredAt })
        .execute();
    },

    async deleteBefore(cutoff) {
      let deleted = 0;
      for (const [table, column] of RETAINED) deleted += await deleteRowsBefore(tables(), table, column, cutoff);
      return deleted;
    },
  };
}
