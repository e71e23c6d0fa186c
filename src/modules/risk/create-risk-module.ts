import type { Logger } from 'pino';
import type { AuditActivity } from '../audit/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { DEFAULT_DETECTION, detectActivities, newModelBook, type DetectionSettings, type ModelBook } from './detect-window.ts';
import type { Alert, Subject, TrailEntry, Window } from './risk-model.ts';
import { subjectKey } from './risk-model.ts';
import { RiskErrors } from './risk.errors.ts';
import type { RiskRepository } from './risk.repository.port.ts';
import type { RiskResponder } from './risk-responder.port.ts';
import { DEFAULT_RULE_RESPONSES, type RuleResponses } from './risk-rules.ts';
import { WindowCounter } from './window-features.ts';
import { createKyselyRiskRepository } from './infra/kysely-risk-repository.ts';

export interface RiskSettings {
  /** Whether workers run detection (RISK_DETECTION). */
  readonly enabled: boolean;
  /** The length of a window (RISK_WINDOW_SECONDS). */
  readonly windowMs: number;
  /** How long after a window ends it is read, so that the records buffered by every instance are in (RISK_WINDOW_LAG_SECONDS). */
  readonly lagMs: number;
  /** Which response each rule applies (RISK_RESPONSES). */
  readonly responses: RuleResponses;
}

export const DEFAULT_RISK_SETTINGS: RiskSettings = { enabled: true, windowMs: 60_000, lagMs: 30_000, responses: DEFAULT_RULE_RESPONSES };

export interface RiskModuleDeps {
  readonly db: Db;
  /** The trail, read a window at a time, a page of records at a time (`AuditApi.activity`). */
  readonly trail: { activity(window: { from: Date; to: Date }): AsyncIterable<readonly AuditActivity[]> };
  readonly responder: RiskResponder;
  readonly settings: RiskSettings;
  readonly logger: Logger;
  /** Told of every alert raised (new) or raised again, for /metrics. */
  readonly onAlert?: ((alert: Alert, isNew: boolean) => void) | undefined;
  readonly detection?: DetectionSettings | undefined;
}

/** The risk module's API (docs/risk.md): the operations console's and the workers'. */
export interface RiskApi {
  listAlerts(query: { status?: 'open' | 'resolved'; subjectId?: string; limit: number }): Promise<Alert[]>;
  getAlert(id: string): Promise<Alert | undefined>;
  resolveAlert(id: string, operator: string): Promise<void>;
  undoResponse(alertId: string, operator: string): Promise<void>;
  /**
   * Processes every window from the watermark to `to` (default: the last closed window, less the
   * lag), one window at a time; a window another worker processed meanwhile is skipped. Returns the
   * alerts raised or raised again.
   */
  detect(options?: { readonly to?: Date }): Promise<Alert[]>;
  /**
   * Housekeeping: forgets the subjects (baselines, usual hours, networks, payees) last active before
   * `before` — a credential-stuffing run would otherwise leave a state for every username and
   * address it tried, for good. One that acts again starts anew, as a new subject. Returns how many.
   */
  forgetIdleSubjects(before: Date): Promise<number>;
}

const entryOf = (record: AuditActivity): TrailEntry => {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(record.details) as Record<string, unknown>;
  } catch {
    // A record whose details are not JSON counts by its columns alone.
  }
  return { at: record.at, kind: record.kind, action: record.action, outcome: record.outcome, clientId: record.clientId, organisationId: record.organisationId, consentId: record.consentId, psuId: record.psuId, interactionId: record.interactionId, details };
};

export function createRiskModule(deps: RiskModuleDeps): RiskApi {
  return riskApiOver(createKyselyRiskRepository(deps.db), deps);
}

/** The risk API over a repository. */
export function riskApiOver(repository: RiskRepository, deps: Omit<RiskModuleDeps, 'db'>): RiskApi {
  const { settings, logger } = deps;
  const detection = deps.detection ?? DEFAULT_DETECTION;
  // The models as of a watermark: reused while this instance is the one moving it, else reloaded.
  let memory: { models: ModelBook; at: number } | undefined;

  async function modelsAt(watermark: Date | undefined): Promise<ModelBook> {
    const at = watermark?.getTime() ?? 0;
    if (memory && memory.at === at) return memory.models;
    const models = newModelBook();
    const stored = await repository.models();
    for (const kind of Object.keys(models) as Subject['kind'][]) {
      const model = stored[kind];
      if (model) Object.assign(models[kind], { reservoir: model.reservoir, seen: model.seen });
    }
    return models;
  }

  async function processWindow(watermark: Date | undefined, window: Window): Promise<Alert[] | undefined> {
    // Counted as read: the window's records are never held together.
    const counter = new WindowCounter();
    for await (const page of deps.trail.activity({ from: window.from, to: window.to })) for (const record of page) counter.add(entryOf(record));
    const activities = counter.activities();
    const subjects = activities.map((activity) => activity.subject);
    const states = await repository.states(subjects);
    const models = await modelsAt(watermark);
    const detections = detectActivities(window, activities, states, models, detection);
    const keys = new Set(subjects.map(subjectKey));
    const touched = new Map([...states].filter(([key]) => keys.has(key)));
    const stored = Object.fromEntries((Object.keys(models) as Subject['kind'][]).map((kind) => [kind, { reservoir: models[kind].reservoir, seen: models[kind].seen }])) as Record<Subject['kind'], { reservoir: number[][]; seen: number }>;
    const raised = await repository.commitWindow(watermark, window.to, touched, stored, detections, new Date());
    if (!raised) {
      memory = undefined;
      return undefined;
    }
    memory = { models, at: window.to.getTime() };
    for (const { alert, isNew, detection: found } of raised) {
      deps.onAlert?.(alert, isNew);
      if (isNew) logger.warn({ alertId: alert.id, rule: alert.rule, subject: alert.subject, severity: alert.severity }, `risk alert: ${alert.rule} by ${alert.subject.kind} ${alert.subject.id}`);
      const action = settings.responses[alert.rule];
      if (!action || alert.response || !isNew) continue;
      if (action === 'suspend-client' && alert.subject.kind !== 'tpp') continue;
      if (action === 'throttle' && alert.subject.kind !== 'tpp') continue;
      try {
        const detail = await deps.responder.apply(action, alert.subject, found.consentIds);
        await repository.setResponse(alert.id, { action, appliedAt: new Date() }, detail);
        await deps.responder.record({ action: `risk.${action}`, operator: 'portico-risk', alertId: alert.id, subject: alert.subject, outcome: 'success', detail });
      } catch (error) {
        logger.error({ err: error, alertId: alert.id, action }, 'risk response failed');
        await deps.responder.record({ action: `risk.${action}`, operator: 'portico-risk', alertId: alert.id, subject: alert.subject, outcome: 'failure' });
      }
    }
    return raised.map(({ alert }) => alert);
  }

  return {
    listAlerts: (query) => repository.listAlerts({ ...query, limit: Math.max(1, Math.min(query.limit, 1000)) }),
    getAlert: (id) => repository.getAlert(id),
    async resolveAlert(id, operator) {
      if (!(await repository.getAlert(id))) throw new AppError(RiskErrors.ALERT_NOT_FOUND);
      if (await repository.resolveAlert(id, operator, new Date())) await deps.responder.record({ action: 'risk.resolve-alert', operator, alertId: id, subject: (await repository.getAlert(id))!.subject, outcome: 'success' });
    },
    async undoResponse(alertId, operator) {
      const alert = await repository.getAlert(alertId);
      if (!alert) throw new AppError(RiskErrors.ALERT_NOT_FOUND);
      if (!alert.response || alert.response.undoneAt) throw new AppError(RiskErrors.NO_RESPONSE_TO_UNDO);
      const detail = (await repository.responseDetail(alertId)) ?? {};
      await deps.responder.undo(alert.response.action, alert.subject, detail);
      await repository.undoResponse(alertId, operator, new Date());
      await deps.responder.record({ action: `risk.undo-${alert.response.action}`, operator, alertId, subject: alert.subject, outcome: 'success', detail });
    },
    forgetIdleSubjects: (before) => repository.forgetSubjects(before),
    async detect(options = {}) {
      const now = Date.now();
      const to = options.to ?? new Date(Math.floor((now - settings.lagMs) / settings.windowMs) * settings.windowMs);
      const alerts: Alert[] = [];
      for (;;) {
        const watermark = await repository.watermark();
        // The first run starts one window back: detection watches from now on, it does not replay history.
        const from = watermark ?? new Date(to.getTime() - settings.windowMs);
        if (from >= to) return alerts;
        const end = new Date(Math.min(to.getTime(), (Math.floor(from.getTime() / settings.windowMs) + 1) * settings.windowMs));
        const raised = await processWindow(watermark, { from, to: end });
        if (raised) alerts.push(...raised);
      }
    },
  };
}
