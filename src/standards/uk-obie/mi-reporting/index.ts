export { buildMiReports } from './build-mi-reports.ts';
export type { MiReportOptions, MiReports, MiTppBrand, OverallPerformance, PerformanceAndAvailability } from './build-mi-reports.ts';
export { defaultMiEndpointIds, specEndpointOf } from './mi-endpoint-ids.ts';
export type { MiEndpointIds } from './mi-endpoint-ids.ts';
export { miReportTime } from './mi-report-time.ts';
export { validateMiReport } from './validate-mi-report.ts';
export type { MiReportKind, MiValidation } from './validate-mi-report.ts';
