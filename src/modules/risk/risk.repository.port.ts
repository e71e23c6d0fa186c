import type { Detection } from './detect-window.ts';
import type { Alert, AlertResponse, Subject } from './risk-model.ts';
import type { SubjectState } from './subject-state.ts';

/** A kind's stored model: its reservoir of normal vectors and how many it was offered. */
export interface StoredModel {
  readonly reservoir: number[][];
  readonly seen: number;
}

/** An alert a window raised or raised again. */
export interface RaisedAlert {
  readonly alert: Alert;
  readonly isNew: boolean;
  readonly detection: Detection;
}

export interface AlertQuery {
  readonly status?: 'open' | 'resolved' | undefined;
  readonly subjectId?: string | undefined;
  readonly limit: number;
}

/** Where the risk module keeps its watermark, baselines, model reservoirs and alerts. */
export interface RiskRepository {
  /** The end of the last window processed; undefined before the first. */
  watermark(): Promise<Date | undefined>;
  states(subjects: readonly Subject[]): Promise<Map<string, SubjectState>>;
  models(): Promise<Partial<Record<Subject['kind'], StoredModel>>>;
  /**
   * Commits a window's outcome — the subjects' new states, the models' reservoirs, the alerts raised
   * (a new one, or the open one of its rule and subject counted again) and the watermark moved to
   * `to` — only if the watermark is still `expected` (locked meanwhile): undefined if another
   * worker processed the window first, and nothing is written.
   */
  commitWindow(expected: Date | undefined, to: Date, states: ReadonlyMap<string, SubjectState>, models: Record<Subject['kind'], StoredModel>, detections: readonly Detection[], now: Date): Promise<RaisedAlert[] | undefined>;
  listAlerts(query: AlertQuery): Promise<Alert[]>;
  getAlert(id: string): Promise<Alert | undefined>;
  /** The response's undo detail. */
  responseDetail(id: string): Promise<Record<string, unknown> | undefined>;
  resolveAlert(id: string, operator: string, now: Date): Promise<boolean>;
  setResponse(id: string, response: AlertResponse, detail: Record<string, unknown>): Promise<void>;
  /** Marks the response undone; false if it was already (or there is none). */
  undoResponse(id: string, operator: string, now: Date): Promise<boolean>;
  /** Alerts raised so far (metrics at start). */
  countAlerts(): Promise<number>;
  /** Deletes the states of subjects last active before `before`; returns how many. */
  forgetSubjects(before: Date): Promise<number>;
}
