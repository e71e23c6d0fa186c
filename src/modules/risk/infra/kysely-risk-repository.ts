import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { deleteRowsBefore, ownTables, type Db } from '../../../platform/db/index.ts';
import type { Alert, Severity, Subject } from '../risk-model.ts';
import { subjectKey } from '../risk-model.ts';
import type { RaisedAlert, RiskRepository, StoredModel } from '../risk.repository.port.ts';
import type { SubjectState } from '../subject-state.ts';
import type { RiskAlertsTable, RiskTables } from './risk.tables.ts';

const WATERMARK = 'detection';
const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
const higher = (a: string, b: Severity): Severity => (SEVERITIES.indexOf(a as Severity) >= SEVERITIES.indexOf(b) ? (a as Severity) : b);

const alertOf = (row: Selectable<RiskAlertsTable>): Alert => ({
  id: row.id,
  rule: row.rule,
  severity: row.severity as Severity,
  subject: { kind: row.subject_kind as Subject['kind'], id: row.subject_id },
  evidence: JSON.parse(row.evidence) as Record<string, unknown>,
  firstSeen: new Date(row.first_seen),
  lastSeen: new Date(row.last_seen),
  count: row.count,
  status: row.status as Alert['status'],
  ...(row.response_action && row.response_applied_at
    ? {
        response: {
          action: row.response_action as NonNullable<Alert['response']>['action'],
          appliedAt: new Date(row.response_applied_at),
          ...(row.response_undone_at ? { undoneAt: new Date(row.response_undone_at) } : {}),
          ...(row.response_undone_by ? { undoneBy: row.response_undone_by } : {}),
        },
      }
    : {}),
});

export function createKyselyRiskRepository(database: Db): RiskRepository {
  const db = ownTables<RiskTables>(database);
  return {
    async watermark() {
      const row = await db.selectFrom('risk_watermark').select('processed_to').where('name', '=', WATERMARK).executeTakeFirst();
      return row ? new Date(row.processed_to) : undefined;
    },
    async states(subjects) {
      const states = new Map<string, SubjectState>();
      if (subjects.length === 0) return states;
      const rows = await db
        .selectFrom('risk_subjects')
        .select(['subject_kind', 'subject_id', 'state'])
        .where((eb) => eb.or(subjects.map((subject) => eb.and([eb('subject_kind', '=', subject.kind), eb('subject_id', '=', subject.id)]))))
        .execute();
      for (const row of rows) states.set(subjectKey({ kind: row.subject_kind as Subject['kind'], id: row.subject_id }), JSON.parse(row.state) as SubjectState);
      return states;
    },
    async models() {
      const rows = await db.selectFrom('risk_models').selectAll().execute();
      return Object.fromEntries(rows.map((row) => [row.subject_kind, { reservoir: JSON.parse(row.reservoir) as number[][], seen: row.seen }]));
    },
    async commitWindow(expected, to, states, models, detections, now) {
      return db.transaction().execute(async (trx) => {
        // The watermark row, locked: a second worker on the same window waits here, then finds it moved.
        await trx.insertInto('risk_watermark').values({ name: WATERMARK, processed_to: expected ?? new Date(0), updated_at: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
        const current = await trx.selectFrom('risk_watermark').select('processed_to').where('name', '=', WATERMARK).forUpdate().executeTakeFirstOrThrow();
        if (new Date(current.processed_to).getTime() !== (expected ?? new Date(0)).getTime()) return undefined;
        const rows = [...states].map(([key, state]) => {
          const at = key.indexOf(':');
          return { subject_kind: key.slice(0, at), subject_id: key.slice(at + 1), state: JSON.stringify(state), updated_at: now };
        });
        for (let i = 0; i < rows.length; i += 500) {
          await trx
            .insertInto('risk_subjects')
            .values(rows.slice(i, i + 500))
            .onConflict((oc) => oc.columns(['subject_kind', 'subject_id']).doUpdateSet({ state: (eb) => eb.ref('excluded.state'), updated_at: (eb) => eb.ref('excluded.updated_at') }))
            .execute();
        }
        for (const [kind, model] of Object.entries(models) as Array<[string, StoredModel]>) {
          await trx
            .insertInto('risk_models')
            .values({ subject_kind: kind, reservoir: JSON.stringify(model.reservoir), seen: model.seen, updated_at: now })
            .onConflict((oc) => oc.column('subject_kind').doUpdateSet({ reservoir: (eb) => eb.ref('excluded.reservoir'), seen: (eb) => eb.ref('excluded.seen'), updated_at: (eb) => eb.ref('excluded.updated_at') }))
            .execute();
        }
        const raised: RaisedAlert[] = [];
        for (const detection of detections) {
          const open = await trx
            .selectFrom('risk_alerts')
            .selectAll()
            .where('rule', '=', detection.rule)
            .where('subject_kind', '=', detection.subject.kind)
            .where('subject_id', '=', detection.subject.id)
            .where('status', '=', 'open')
            .forUpdate()
            .executeTakeFirst();
          if (open) {
            const row = await trx
              .updateTable('risk_alerts')
              .set({ count: open.count + 1, last_seen: now, evidence: JSON.stringify(detection.evidence), severity: higher(open.severity, detection.severity) })
              .where('id', '=', open.id)
              .returningAll()
              .executeTakeFirstOrThrow();
            raised.push({ alert: alertOf(row), isNew: false, detection });
          } else {
            const row = await trx
              .insertInto('risk_alerts')
              .values({
                id: randomUUID(),
                rule: detection.rule,
                severity: detection.severity,
                subject_kind: detection.subject.kind,
                subject_id: detection.subject.id,
                evidence: JSON.stringify(detection.evidence),
                first_seen: now,
                last_seen: now,
                count: 1,
                status: 'open',
                resolved_at: null,
                resolved_by: null,
                response_action: null,
                response_applied_at: null,
                response_undone_at: null,
                response_undone_by: null,
                response_detail: null,
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            raised.push({ alert: alertOf(row), isNew: true, detection });
          }
        }
        await trx.updateTable('risk_watermark').set({ processed_to: to, updated_at: now }).where('name', '=', WATERMARK).execute();
        return raised;
      });
    },
    async listAlerts(query) {
      let select = db.selectFrom('risk_alerts').selectAll();
      if (query.status) select = select.where('status', '=', query.status);
      if (query.subjectId) select = select.where('subject_id', '=', query.subjectId);
      const rows = await select.orderBy('last_seen', 'desc').orderBy('id').limit(query.limit).execute();
      return rows.map(alertOf);
    },
    async getAlert(id) {
      const row = await db.selectFrom('risk_alerts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? alertOf(row) : undefined;
    },
    async responseDetail(id) {
      const row = await db.selectFrom('risk_alerts').select('response_detail').where('id', '=', id).executeTakeFirst();
      return row?.response_detail ? (JSON.parse(row.response_detail) as Record<string, unknown>) : undefined;
    },
    async resolveAlert(id, operator, now) {
      const result = await db.updateTable('risk_alerts').set({ status: 'resolved', resolved_at: now, resolved_by: operator }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async setResponse(id, response, detail) {
      await db.updateTable('risk_alerts').set({ response_action: response.action, response_applied_at: response.appliedAt, response_detail: JSON.stringify(detail) }).where('id', '=', id).execute();
    },
    async undoResponse(id, operator, now) {
      const result = await db
        .updateTable('risk_alerts')
        .set({ response_undone_at: now, response_undone_by: operator })
        .where('id', '=', id)
        .where('response_action', 'is not', null)
        .where('response_undone_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async countAlerts() {
      const row = await db.selectFrom('risk_alerts').select(sql<string>`count(*)`.as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    forgetSubjects: (before) => deleteRowsBefore(db, 'risk_subjects', 'updated_at', before),
  };
}
