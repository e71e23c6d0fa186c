export { GroupRuns } from './group-runs.ts';
