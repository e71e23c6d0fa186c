import { EMPTY_BASELINE, learn, type Baseline } from './feature-baseline.ts';
import { rememberPayments, type PaymentMemory } from './payment-novelty.ts';
import type { WindowActivity } from './window-features.ts';

/** What the module remembers of a subject between windows (stored, so it survives restarts); with payments, their amounts and payees (PaymentMemory). */
export interface SubjectState extends PaymentMemory {
  readonly baselines: Readonly<Record<string, Baseline>>;
  /** Calls per active window at each UTC hour of day (EWMA): what hours are usual. */
  readonly hours: readonly number[];
  /** Networks seen, most recent last (at most MAX_NETWORKS). */
  readonly networks: readonly string[];
  /** Active windows seen. */
  readonly windows: number;
}

export const NEW_SUBJECT: SubjectState = { baselines: {}, hours: Array.from({ length: 24 }, () => 0), networks: [], windows: 0 };
const MAX_NETWORKS = 64;
/** A day of minute windows: before it, hours and networks are not yet known. */
export const SETTLED_WINDOWS = 1440;

export const baselineOf = (state: SubjectState, feature: string): Baseline => state.baselines[feature] ?? EMPTY_BASELINE;

/** The networks of this window the subject had not been seen from. */
export const newNetworks = (state: SubjectState, activity: WindowActivity): string[] => [...activity.networks].filter((network) => !state.networks.includes(network));

/** How many times the usual calls of this hour of day the subject made (0 until it is settled). */
export function hourRatio(state: SubjectState, hour: number, calls: number): number {
  if (state.windows < SETTLED_WINDOWS) return 0;
  return calls / Math.max(state.hours[hour] ?? 0, 1);
}

/** Values of a window that are judgements already (deviations, ratios), not counts to keep a baseline of. */
export const JUDGEMENTS = new Set(['amountDeviation', 'payoutDeviation', 'payoutRatio']);

/** The state after a window. */
export function learnWindow(state: SubjectState, activity: WindowActivity, hour: number, alpha: number, flagged = false): SubjectState {
  const baselines: Record<string, Baseline> = { ...state.baselines };
  for (const [feature, value] of Object.entries(activity.values)) if (!JUDGEMENTS.has(feature)) baselines[feature] = learn(feature, baselineOf(state, feature), value, alpha, flagged);
  const hours = [...state.hours];
  hours[hour] = (hours[hour] ?? 0) + alpha * ((activity.values['calls'] ?? activity.values['loginFailures'] ?? 0) - (hours[hour] ?? 0));
  const networks = [...state.networks.filter((network) => !activity.networks.has(network)), ...activity.networks].slice(-MAX_NETWORKS);
  return { ...state, ...rememberPayments(activity.subject.kind, state, activity.payments, flagged, activity.values['newPayees']), baselines, hours, networks, windows: state.windows + 1 };
}
