import type { Logger } from 'pino';
import type { AuditApi } from '../modules/audit/index.ts';
import type { RecurringJob } from '../platform/scheduler/index.ts';

/** Audit retention (AUDIT_RETENTION_DAYS), as a recurring job of the workers: past partitions' records go, their last checkpoints stay. */
export function auditRetentionJob(audit: Pick<AuditApi, 'expire'>, everyMs: number, logger: Logger): RecurringJob {
  return {
    kind: 'audit.retention',
    everyMs,
    async run(now) {
      const expired = await audit.expire(now);
      if (expired.length > 0) logger.info({ partitions: expired }, `${expired.length} audit partition(s) past retention expired; their checkpoints are kept`);
    },
  };
}
