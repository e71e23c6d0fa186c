export { scraped } from './scraped-gauge.ts';
export { registerBacklogGauges } from './backlog-gauges.ts';
export type { Backlog } from './backlog-gauges.ts';
