import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AuditWriterObserver, VerificationRunStatus } from '../modules/audit/index.ts';

/** The audit trail's ingest in /metrics: records written, dropped and refused, failed writes, the buffer; and its verifications' outcomes. */
export function auditMetrics() {
  const written = new Counter({ name: 'portico_audit_records_written_total', help: 'Audit records committed to the trail', registers: [] });
  const dropped = new Counter({ name: 'portico_audit_records_dropped_total', help: 'Audit records lost: the buffer was full under AUDIT_OVERFLOW=drop, or still held at shutdown', registers: [] });
  const refused = new Counter({ name: 'portico_audit_calls_refused_total', help: 'API calls answered 503 because the audit buffer was full (AUDIT_OVERFLOW=refuse)', registers: [] });
  const failures = new Counter({ name: 'portico_audit_write_failures_total', help: 'Failed writes of audit batches (retried with backoff)', registers: [] });
  const verifications = new Counter({ name: 'portico_audit_verifications_total', help: 'Verification runs of the audit trail finished, by outcome (intact, broken, failed)', labelNames: ['outcome'], registers: [] });
  const batchSeconds = new Histogram({ name: 'portico_audit_batch_write_seconds', help: 'Time to write and checkpoint one batch of audit records', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers: [] });
  const observer: AuditWriterObserver = {
    written: (records, seconds) => {
      written.inc(records);
      batchSeconds.observe(seconds);
    },
    dropped: (records) => dropped.inc(records),
    failed: () => failures.inc(),
  };
  return {
    observer,
    refused: () => refused.inc(),
    verified: (outcome: VerificationRunStatus) => verifications.inc({ outcome }),
    register(registry: Registry, buffered: () => number) {
      for (const metric of [written, dropped, refused, failures, verifications, batchSeconds]) registry.registerMetric(metric);
      registry.registerMetric(new Gauge({ name: 'portico_audit_buffered_records', help: 'Audit records held in memory waiting for the database', registers: [], collect() { this.set(buffered()); } }));
    },
  };
}
