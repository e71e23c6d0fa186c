export { clampedMonthDay, rfcWeekday, RRule, RRuleSet, WORKING_DAYS, type RecurrenceOptions, type RecurrenceRule } from './recurrence.ts';
export { plainDate, UTC } from './utc.ts';
