import type { AuditEntry, AuditKind } from '../modules/audit/index.ts';
import { isAppError } from '../platform/errors/index.ts';

/** Takes a step's record (the audit trail's `record`). */
export type RecordStep = (entry: AuditEntry) => unknown;

type Step = Omit<AuditEntry, 'at' | 'kind' | 'outcome'>;

/**
 * Runs a step and records it, success or failure (with the error's code, never a secret the caller
 * sent: no password, no code, no signed request), then returns or throws as the step did.
 */
export async function audited<T>(record: RecordStep, kind: AuditKind, step: Step, run: () => Promise<T>, onSuccess?: (result: T) => Partial<Step>): Promise<T> {
  try {
    const result = await run();
    record({ at: new Date(), kind, outcome: 'success', ...step, ...onSuccess?.(result) });
    return result;
  } catch (error) {
    const errorCode = isAppError(error) ? error.code : 'unexpected';
    record({ at: new Date(), kind, outcome: 'failure', ...step, details: { ...step.details, errorCode } });
    throw error;
  }
}
