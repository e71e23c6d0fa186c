import { mulberry32, offerToReservoir, trainAnomalyModel } from './anomaly-model.ts';
import { deviation } from './feature-baseline.ts';
import { judgePayments, newPayeeShare, type Payout } from './payment-novelty.ts';
import { RISK_RULES, severityOf, type RiskRule, type RuleInput } from './risk-rules.ts';
import { subjectKey, type Severity, type Subject, type TrailEntry, type Window } from './risk-model.ts';
import { baselineOf, hourRatio, JUDGEMENTS, learnWindow, newNetworks, NEW_SUBJECT, type SubjectState } from './subject-state.ts';
import { FEATURES, windowFeatures, type WindowActivity } from './window-features.ts';

/** A rule that fired on a subject in a window, with what made it fire. */
export interface Detection {
  readonly rule: string;
  readonly severity: Severity;
  readonly subject: Subject;
  readonly evidence: Record<string, unknown>;
  /** The consents the subject acted under in the window (force-reauthentication's targets). */
  readonly consentIds: readonly string[];
}

/** The model of one kind of subject: its reservoir of normal windows (stored). */
export interface KindModel {
  reservoir: number[][];
  seen: number;
}

export type ModelBook = Record<Subject['kind'], KindModel>;
export const newModelBook = (): ModelBook => ({
  tpp: { reservoir: [], seen: 0 },
  psu: { reservoir: [], seen: 0 },
  source: { reservoir: [], seen: 0 },
});

export interface DetectionSettings {
  /** How much of each window a baseline learns (EWMA weight). */
  readonly alpha: number;
  /** The deviation from which a subject's window is scored by the model (below it, no rule can fire either). */
  readonly candidateDeviation: number;
}

export const DEFAULT_DETECTION: DetectionSettings = { alpha: 0.02, candidateDeviation: 3 };

/** What each kind's model reads besides its features' deviations: judgements made already (docs/risk.md "Model"). */
const JUDGED: Readonly<Record<Subject['kind'], readonly string[]>> = { tpp: ['hourRatio', 'amountDeviation'], psu: ['amountDeviation'], source: [] };

/** The vector each kind's model reads: its features' deviations, then its judgements. */
const vectorOf = (kind: Subject['kind'], z: Readonly<Record<string, number>>) => [...FEATURES[kind], ...JUDGED[kind]].map((feature) => z[feature] ?? 0);
const VECTOR_LENGTH = (kind: Subject['kind']) => FEATURES[kind].length + JUDGED[kind].length;

const round = (value: number) => Math.round(value * 1000) / 1000;

function evidenceOf(rule: RiskRule, window: Window, activity: WindowActivity, input: RuleInput, state: SubjectState, networks: readonly string[], payout: Payout | undefined): Record<string, unknown> {
  const names = rule.features.length > 0 ? rule.features : Object.keys(input.z).filter((feature) => (input.z[feature] ?? 0) >= 3);
  const features = Object.fromEntries(
    names.map((feature) => {
      const baseline = baselineOf(state, feature);
      return [feature, { value: input.values[feature] ?? 0, baselineMean: round(baseline.mean), baselineSd: round(Math.sqrt(baseline.variance)), deviation: round(input.z[feature] ?? 0) }];
    }),
  );
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    features,
    modelScore: round(input.score),
    baselineWindows: state.windows,
    samples: activity.samples,
    ...(networks.length > 0 ? { newNetworks: networks } : {}),
    ...(payout && rule.features.includes('payoutRatio') ? { payment: payout, summary: payout.summary } : {}),
  };
}

/**
 * Detection over one window (docs/risk.md), the same in production and in `npm run eval:anomaly`:
 * counts each subject's features, judges them against the subject's baselines and the model of its
 * kind, applies the rules, then lets the baselines and the model learn the window. `states` are
 * the subjects' states before the window (absent: new), and receive their states after it.
 */
export function detectWindow(window: Window, entries: Iterable<TrailEntry>, states: Map<string, SubjectState>, models: ModelBook, settings: DetectionSettings = DEFAULT_DETECTION): Detection[] {
  return detectActivities(window, windowFeatures(entries, window), states, models, settings);
}

/** `detectWindow` over the window's activities as `windowFeatures` counted them (counted once by a caller that needs them too). */
export function detectActivities(window: Window, activities: readonly WindowActivity[], states: Map<string, SubjectState>, models: ModelBook, settings: DetectionSettings = DEFAULT_DETECTION): Detection[] {
  const detections: Detection[] = [];
  const hour = window.from.getUTCHours();
  const random = mulberry32(Math.floor(window.from.getTime() / 1000));
  // Payments first: a PSU's payees are new against its memory, a TPP's are those new to their PSU.
  const shareOfTpp = (tppId: string | undefined) => (tppId ? newPayeeShare(states.get(subjectKey({ kind: 'tpp', id: tppId }))) : 0);
  const payments = new Map(activities.map((activity) => [subjectKey(activity.subject), judgePayments(activity.subject.kind, states.get(subjectKey(activity.subject)) ?? NEW_SUBJECT, activity.payments, shareOfTpp)]));
  const toNewPayees = new Set(activities.filter((activity) => activity.subject.kind === 'psu').flatMap((activity) => [...payments.get(subjectKey(activity.subject))!.toNewPayees]));
  const judged = activities.map((activity) => {
    const key = subjectKey(activity.subject);
    const state = states.get(key) ?? NEW_SUBJECT;
    const networks = state.windows > 0 ? newNetworks(state, activity) : [];
    const values: Record<string, number> = { ...activity.values, ...('newNetworks' in activity.values ? { newNetworks: networks.length } : {}) };
    if (activity.subject.kind === 'tpp') values['hourRatio'] = hourRatio(state, hour, values['calls'] ?? 0);
    const paid = payments.get(key)!;
    if (activity.subject.kind === 'psu') {
      values['newPayees'] = paid.newPayees;
      values['payoutDeviation'] = paid.payout?.deviation ?? 0;
      values['payoutRatio'] = paid.payout?.ratio ?? 0;
    }
    if (activity.subject.kind === 'tpp') values['newPayees'] = new Set(activity.payments.filter((payment) => toNewPayees.has(payment.paymentId)).map((payment) => `${payment.psuId} ${payment.payee}`)).size;
    if (activity.subject.kind !== 'source') values['amountDeviation'] = paid.amountDeviation;
    const z: Record<string, number> = {};
    const mean: Record<string, number> = {};
    for (const [feature, value] of Object.entries(values)) {
      if (feature === 'hourRatio' || JUDGEMENTS.has(feature)) {
        z[feature] = value;
        continue;
      }
      const baseline = baselineOf(state, feature);
      z[feature] = deviation(feature, baseline, value);
      mean[feature] = baseline.mean;
    }
    const vector = vectorOf(activity.subject.kind, z);
    return { activity, key, state, networks, values, z, mean, vector, payout: paid.payout, candidate: Math.max(...vector) >= settings.candidateDeviation };
  });
  // A reservoir of vectors of another shape (stored before the features changed) starts again.
  for (const kind of Object.keys(models) as Subject['kind'][]) {
    if (models[kind].reservoir.length > 0 && models[kind].reservoir[0]!.length !== VECTOR_LENGTH(kind)) Object.assign(models[kind], { reservoir: [], seen: 0 });
  }
  // The model scores only the windows that deviate somewhere: one forest per kind, grown with them.
  const scores = new Map<string, number>();
  for (const kind of Object.keys(models) as Subject['kind'][]) {
    const candidates = judged.filter((item) => item.candidate && item.activity.subject.kind === kind);
    if (candidates.length === 0) continue;
    const forest = trainAnomalyModel(models[kind].reservoir, Math.floor(window.from.getTime() / 1000) + kind.length, candidates.map((item) => item.vector));
    if (forest) for (const item of candidates) scores.set(item.key, forest.score(item.vector));
  }
  for (const { activity, key, state, networks, values, z, mean, vector, payout } of judged) {
    const kind = activity.subject.kind;
    const score = scores.get(key) ?? 0;
    const input: RuleInput = { values, z, mean, score, windows: state.windows };
    let fired = false;
    for (const rule of RISK_RULES) {
      if (rule.subjectKind !== kind || !rule.when(input)) continue;
      fired = true;
      detections.push({ rule: rule.name, severity: severityOf(rule, score), subject: activity.subject, evidence: evidenceOf(rule, window, activity, input, state, networks, payout), consentIds: [...activity.consentIds].slice(0, 50) });
    }
    const { newNetworks: _ignored, ...learnt } = values;
    states.set(key, learnWindow(state, { ...activity, values: { ...learnt, newNetworks: networks.length } }, hour, settings.alpha, fired));
    // Only windows no rule fired on teach the model what normal is.
    if (!fired) {
      offerToReservoir(models[kind].reservoir, models[kind].seen, vector, random);
      models[kind].seen++;
    }
  }
  return detections;
}
