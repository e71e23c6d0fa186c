export { clampedMonthDay, rfcWeekday, RRule, RRuleSet, WORKING_DAYS, type RecurrenceOptions, type RecurrenceRule } from './recurrence.ts';
export { isCalendarDay, parseInstant, plainDate, utcDayOf, UTC } from './utc.ts';
