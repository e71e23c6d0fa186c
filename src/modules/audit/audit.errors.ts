import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** Errors of the audit trail's search and export (operator APIs and the CLI). */
export const AuditErrors = defineErrors('AUDIT', {
  QUERY_INVALID: exposed(400, 'field.invalid', 'The audit search is not valid'),
  CURSOR_INVALID: exposed(400, 'field.invalid', 'The audit search cursor is not one this trail gave'),
});
