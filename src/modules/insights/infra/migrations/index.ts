import type { Migrations } from '../../../../platform/db/index.ts';
import * as apiKpis from './0049-api-kpis.ts';
import * as latencyHistograms from './0052-latency-histograms.ts';

/** The insights module's tables (decision 0008h). */
export const insightsMigrations: Migrations = {
  '0049-api-kpis': apiKpis,
  '0052-latency-histograms': latencyHistograms,
};
