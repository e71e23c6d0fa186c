import type { Migrations } from '../../../../platform/db/index.ts';
import * as auditTrail from './0048-audit-trail.ts';
import * as auditRecordsTimeOrder from './0061-audit-records-time-order.ts';
import * as auditVerifications from './0062-audit-verifications.ts';

/** The audit module's tables (docs/audit.md). */
export const auditMigrations: Migrations = {
  '0048-audit-trail': auditTrail,
  '0061-audit-records-time-order': auditRecordsTimeOrder,
  '0062-audit-verifications': auditVerifications,
};
