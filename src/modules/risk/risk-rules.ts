import type { ResponseAction, Severity, Subject } from './risk-model.ts';

/** What a rule sees of a subject's window: its values, their deviations from its baselines, and the model's score. */
export interface RuleInput {
  readonly values: Readonly<Record<string, number>>;
  readonly z: Readonly<Record<string, number>>;
  /** Baseline means, for ratio conditions. */
  readonly mean: Readonly<Record<string, number>>;
  /** The isolation forest's score, 0 while the model is not trained. */
  readonly score: number;
  /** Active windows the subject's baselines have learnt from. */
  readonly windows: number;
}

export interface RiskRule {
  readonly name: string;
  readonly subjectKind: Subject['kind'];
  readonly severity: Severity;
  /** The features its evidence shows. */
  readonly features: readonly string[];
  readonly when: (input: RuleInput) => boolean;
}

/** The model's score from which an alert is raised one severity higher (and `behaviour-anomaly` may fire). */
export const MODEL_THRESHOLD = 0.7;
/** A payout: at least this many times the PSU's median payment in the currency, and this many robust deviations above it. */
const PAYOUT_RATIO = 15;
const PAYOUT_DEVIATION = 3;

const v = (input: RuleInput, feature: string) => input.values[feature] ?? 0;
const z = (input: RuleInput, feature: string) => input.z[feature] ?? 0;
const mean = (input: RuleInput, feature: string) => input.mean[feature] ?? 0;

/**
 * The rules (docs/risk.md "Rules"). Each asks for an absolute floor (a handful of events is never
 * an attack) and a deviation from the subject's own baseline (a large TPP is not a scraper for
 * being large). Thresholds were tuned on the simulated set's tuning seed, not its evaluation days.
 */
export const RISK_RULES: readonly RiskRule[] = [
  {
    name: 'bola-probing',
    subjectKind: 'tpp',
    severity: 'high',
    features: ['foreignIds', 'err403', 'err404', 'calls'],
    when: (i) => v(i, 'foreignIds') >= 6 && z(i, 'foreignIds') >= 6,
  },
  {
    name: 'credential-stuffing',
    subjectKind: 'source',
    severity: 'critical',
    features: ['loginFailures', 'distinctUsernames', 'loginSuccesses'],
    when: (i) => v(i, 'loginFailures') >= 10 && v(i, 'distinctUsernames') >= 5 && z(i, 'loginFailures') >= 4,
  },
  {
    name: 'password-guessing',
    subjectKind: 'psu',
    severity: 'high',
    features: ['loginFailures', 'loginSuccesses'],
    when: (i) => v(i, 'loginFailures') >= 8 && z(i, 'loginFailures') >= 4,
  },
  {
    name: 'scraping',
    subjectKind: 'tpp',
    severity: 'high',
    features: ['reads', 'distinctResources', 'calls'],
    when: (i) => v(i, 'reads') >= Math.max(100, 3 * mean(i, 'reads')) && z(i, 'reads') >= 6,
  },
  {
    name: 'retry-storm',
    subjectKind: 'tpp',
    severity: 'medium',
    features: ['maxRepeat', 'failedBurst', 'calls'],
    when: (i) => (v(i, 'maxRepeat') >= 30 && z(i, 'maxRepeat') >= 6) || (v(i, 'failedBurst') >= 30 && z(i, 'failedBurst') >= 6),
  },
  {
    name: 'consent-churn',
    subjectKind: 'tpp',
    severity: 'medium',
    features: ['consentsCreated', 'consentsRevoked'],
    when: (i) => v(i, 'consentsCreated') + v(i, 'consentsRevoked') >= 20 && Math.max(z(i, 'consentsCreated'), z(i, 'consentsRevoked')) >= 6,
  },
  {
    name: 'authentication-errors',
    subjectKind: 'tpp',
    severity: 'medium',
    features: ['err401', 'calls'],
    when: (i) => v(i, 'err401') >= 20 && z(i, 'err401') >= 6,
  },
  {
    name: 'payment-novelty',
    subjectKind: 'tpp',
    severity: 'medium',
    features: ['payments', 'paymentsRejected', 'newPayees', 'amountDeviation'],
    when: (i) =>
      (v(i, 'payments') >= 10 && z(i, 'payments') >= 6) || (v(i, 'paymentsRejected') >= 10 && z(i, 'paymentsRejected') >= 6) || (v(i, 'newPayees') >= 10 && z(i, 'newPayees') >= 6),
  },
  {
    // Account takeover's payout: the PSU's access used for a payment far above what it pays, to
    // someone it never paid. Each alone is ordinary (a first payee; a rent or salary-sized payment
    // to a known one); the two together are what a payout looks like.
    name: 'new-payee-payout',
    subjectKind: 'psu',
    severity: 'high',
    features: ['payoutRatio', 'payoutDeviation', 'newPayees', 'payments'],
    when: (i) => v(i, 'payoutRatio') >= PAYOUT_RATIO && v(i, 'payoutDeviation') >= PAYOUT_DEVIATION,
  },
  {
    name: 'unusual-hours',
    subjectKind: 'tpp',
    severity: 'low',
    features: ['calls', 'hourRatio'],
    when: (i) => v(i, 'calls') >= 60 && v(i, 'hourRatio') >= 10,
  },
  {
    name: 'new-network',
    subjectKind: 'tpp',
    severity: 'low',
    features: ['newNetworks', 'calls'],
    // A new network alone is common (a TPP adds a data centre): only with the model's say-so.
    when: (i) => v(i, 'newNetworks') >= 1 && i.windows >= 1440 && i.score >= MODEL_THRESHOLD,
  },
  ...(['tpp', 'psu', 'source'] as const).map(
    (subjectKind): RiskRule => ({
      name: 'behaviour-anomaly',
      subjectKind,
      severity: 'low',
      features: [],
      when: (i) => i.score >= 0.8 && Object.values(i.z).filter((value) => value >= 8).length >= 2,
    }),
  ),
];

const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
/** A rule's severity, one higher when the model also finds the window isolated. */
export const severityOf = (rule: RiskRule, score: number): Severity => (score >= MODEL_THRESHOLD ? SEVERITIES[Math.min(SEVERITIES.indexOf(rule.severity) + 1, 3)]! : rule.severity);

/** Which response each rule applies on its own (RISK_RESPONSES). */
export type RuleResponses = Readonly<Record<string, ResponseAction>>;
/**
 * None by default: alerts only. An automatic response acts on a TPP the PSD2 interface must not
 * obstruct without cause, and a TPP new to the bank has no baseline yet (its first full sync reads
 * like scraping), so the bank opts in per rule once it has seen the alerts its traffic raises.
 */
export const DEFAULT_RULE_RESPONSES: RuleResponses = {};
