/**
 * Anomaly detection over the audit trail (docs/risk.md): features per TPP, PSU and source address
 * for each closed window, robust baselines per feature, an isolation forest over the feature
 * vector, rules that raise deduplicated alerts with their evidence, and automatic responses an
 * operator can undo.
 */
export { createRiskModule } from './create-risk-module.ts';
export type { RiskApi, RiskModuleDeps, RiskSettings } from './create-risk-module.ts';
export type { RiskResponder } from './risk-responder.port.ts';
export type { Alert, AlertResponse, ResponseAction, Severity, Subject, TrailEntry, Window } from './risk-model.ts';
export { detectWindow, newModelBook, DEFAULT_DETECTION } from './detect-window.ts';
export type { Detection, DetectionSettings, ModelBook } from './detect-window.ts';
export type { SubjectState } from './subject-state.ts';
export { windowFeatures, idsInPath, networkOf, FEATURES } from './window-features.ts';
export { deviation, learn, EMPTY_BASELINE } from './feature-baseline.ts';
export type { Baseline } from './feature-baseline.ts';
export { RISK_RULES, DEFAULT_RULE_RESPONSES, severityOf } from './risk-rules.ts';
export type { RuleResponses } from './risk-rules.ts';
export { mulberry32, trainAnomalyModel } from './anomaly-model.ts';
export { RiskErrors } from './risk.errors.ts';
export type { RiskTables } from './infra/risk.tables.ts';
