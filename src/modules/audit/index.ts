/**
 * The audit trail (docs/audit.md): an append-only record of every API call, state change, PSU
 * authorisation step, TPP registration change and operator action, hash-chained per day with
 * checkpoints the bank signs, verifiable, searchable and exportable.
 */
export { createAuditModule, auditApiOver } from './create-audit-module.ts';
export type { AuditApi, AuditModuleDeps, AuditSettings } from './create-audit-module.ts';
export { AUDIT_KINDS } from './audit-record.ts';
export type { AuditActivity, AuditCheckpoint, AuditEntry, AuditKind, AuditQuery, AuditRecord, CheckpointSigner } from './audit-record.ts';
export type { AuditOverflow, AuditWriterObserver, AuditWriterSettings } from './audit-writer.ts';
export type { AuditBreak, AuditBreakKind, AuditVerification, PartitionVerdict, VerificationHooks } from './verify-audit-trail.ts';
export { SCHEDULED_VERIFICATION } from './audit-verification-store.port.ts';
export type { VerificationRun, VerificationRunDetail, VerificationRunStatus } from './audit-verification-store.port.ts';
export { auditRecordJson, MAX_PAGE as AUDIT_MAX_PAGE } from './search-audit-trail.ts';
export type { AuditPage } from './search-audit-trail.ts';
export { AUDIT_EVENTS_CONSUMER } from './record-domain-events.ts';
export { AuditErrors } from './audit.errors.ts';
export { VerificationUnderWay } from './verification-runs.ts';
export { auditReaderOver } from './infra/kysely-audit-repository.ts';
export { verifyAuditTrail } from './verify-audit-trail.ts';
export type { AuditTables } from './infra/audit.tables.ts';
export { OperatorActedV1, recordOperatorAction } from './operator-actions.ts';
export type { OperatorAction } from './operator-actions.ts';
