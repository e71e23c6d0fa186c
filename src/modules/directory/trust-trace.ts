import type { ErrorDefinition } from '../../platform/errors/index.ts';

/** One check of a trust decision and what it found, as `portico tpp explain` prints it. */
export interface TrustStep {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * The checks a trust decision made, in order, recorded by the decision itself (not re-derived), so
 * an explanation can never disagree with the verdict. Callers that do not ask for one pay nothing:
 * details are only computed when a trace is kept.
 */
export class TrustTrace {
  readonly steps: TrustStep[] = [];

  add(check: string, ok: boolean, detail: string): void {
    this.steps.push({ check, ok, detail });
  }
}

/** Records a check's outcome in `trace` (when kept) and returns its error, so checks still chain with `??`. */
export function noted(trace: TrustTrace | undefined, check: string, error: ErrorDefinition | undefined, detail: () => string): ErrorDefinition | undefined {
  if (trace) {
    const found = detail();
    trace.add(check, !error, error ? [error.message, found].filter(Boolean).join(': ') : found);
  }
  return error;
}
