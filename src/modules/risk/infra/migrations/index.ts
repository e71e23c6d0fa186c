import type { Migrations } from '../../../../platform/db/index.ts';
import * as risk from './0050-risk.ts';
import * as subjectsLastActive from './0063-risk-subjects-last-active.ts';

/** The risk module's tables (docs/risk.md). */
export const riskMigrations: Migrations = {
  '0050-risk': risk,
  '0063-risk-subjects-last-active': subjectsLastActive,
};
