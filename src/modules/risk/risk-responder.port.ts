import type { ResponseAction, Subject } from './risk-model.ts';

/**
 * How automatic responses act on the rest of the platform (the composition root implements it over
 * the rate limits, the directory and the consents): each returns what its undo needs.
 */
export interface RiskResponder {
  apply(action: ResponseAction, subject: Subject, consentIds: readonly string[]): Promise<Record<string, unknown>>;
  undo(action: ResponseAction, subject: Subject, detail: Record<string, unknown>): Promise<void>;
  /** Records a response or its undo in the audit trail. */
  record(entry: { readonly action: string; readonly operator: string; readonly alertId: string; readonly subject: Subject; readonly outcome: 'success' | 'failure'; readonly detail?: Record<string, unknown> }): Promise<void>;
}
