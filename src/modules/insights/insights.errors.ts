import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** What a report or a declaration of planned downtime refuses. */
export const InsightsErrors = defineErrors('INSIGHTS', {
  DATE_INVALID: exposed(400, 'field.invalid', 'The date must be a calendar date, YYYY-MM-DD'),
  QUARTER_INVALID: exposed(400, 'field.invalid', 'The quarter must be YYYY-Qn, n from 1 to 4'),
  LATENCY_RANGE_INVALID: exposed(400, 'field.invalid', 'The range must start and end on whole hours, end after it starts and span at most 366 days'),
  DOWNTIME_WINDOW_INVALID: exposed(400, 'field.invalid', 'Planned downtime must end after it starts, on whole minutes'),
  PERIOD_EXPIRED: exposed(400, 'field.invalid', 'The figures of that period were deleted after KPI_RETENTION_DAYS'),
});
