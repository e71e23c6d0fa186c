/**
 * The risk module's model (docs/risk.md): subjects whose behaviour is watched, the alerts rules
 * raise on them, and the responses an alert may carry.
 */
import type { AuditActivity } from '../audit/index.ts';

/** Who behaves: a TPP (its OAuth client, or `org:{id}` for a Berlin Group organisation), a PSU (its id, or the username it logs in with) or a source address. */
export interface Subject {
  readonly kind: 'tpp' | 'psu' | 'source';
  readonly id: string;
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type ResponseAction = 'throttle' | 'suspend-client' | 'force-reauthentication';

export interface AlertResponse {
  readonly action: ResponseAction;
  readonly appliedAt: Date;
  readonly undoneAt?: Date;
  readonly undoneBy?: string;
}

export interface Alert {
  readonly id: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly subject: Subject;
  /** What raised it: the feature values, their baselines and deviations, the model's score, sample interaction ids and paths. */
  readonly evidence: Record<string, unknown>;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** Windows it was raised in (one open alert per rule and subject). */
  readonly count: number;
  readonly status: 'open' | 'resolved';
  readonly response?: AlertResponse;
}

/** One audit record as detection reads it: its columns, and its details parsed. */
export type TrailEntry = Omit<AuditActivity, 'partition' | 'seq' | 'details'> & {
  readonly details: Readonly<Record<string, unknown>>;
};

/** A time window of the trail, `from` inclusive, `to` exclusive. */
export interface Window {
  readonly from: Date;
  readonly to: Date;
}

export const subjectKey = (subject: Subject): string => `${subject.kind}:${subject.id}`;
