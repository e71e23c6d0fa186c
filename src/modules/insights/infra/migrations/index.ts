import type { Migrations } from '../../../../platform/db/index.ts';
import * as apiKpis from './0049-api-kpis.ts';

/** The insights module's tables (decision 0008h). */
export const insightsMigrations: Migrations = {
  '0049-api-kpis': apiKpis,
};
