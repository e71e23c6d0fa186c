import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** The risk module's errors (docs/risk.md). */
export const RiskErrors = defineErrors('RISK', {
  ALERT_NOT_FOUND: exposed(404, 'resource.not-found', 'No alert has this id'),
  NO_RESPONSE_TO_UNDO: exposed(409, 'field.invalid', 'The alert has no automatic response, or it was undone already'),
});
