import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** Errors of the audit trail's search, export and verifications (operator APIs, the console and the CLI). */
export const AuditErrors = defineErrors('AUDIT', {
  QUERY_INVALID: exposed(400, 'field.invalid', 'The audit search is not valid'),
  CURSOR_INVALID: exposed(400, 'field.invalid', 'The audit search cursor is not one this trail gave'),
  VERIFICATION_UNDER_WAY: exposed(409, 'rules.resource-exists', 'A verification an operator asked for is under way: follow it, and ask again once it has finished'),
});
