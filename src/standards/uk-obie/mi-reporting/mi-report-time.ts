import type { components } from './_generated/mi-data-high-frequency.ts';
import { miSchemas } from './mi-schemas.ts';

export type MiReportTime = components['schemas']['OverallPerformance']['reportTime'];

/**
 * The `reportTime` of the hour starting at `hour` (0–23, UTC), exactly as the official enum spells
 * it — five of them without the space after the dash (`(07.00 -08.00)`), which the file's own
 * `pattern` of PerformanceAndAvailability then refuses (docs/insights.md, "A defect of the file").
 */
export function miReportTime(hour: number): MiReportTime {
  const time = miSchemas().$defs.OverallPerformance.properties.reportTime.enum[hour];
  if (time === undefined || !time.startsWith(`(${String(hour).padStart(2, '0')}.00`)) throw new Error(`no reportTime for hour ${hour}`);
  return time as MiReportTime;
}
