import type { ErrorRenderer } from '../../../platform/http/index.ts';
import { xs2aCodeOf } from './xs2a-error-codes.ts';

/** Neutral field references (src/platform/errors `FieldRef`) as the NextGenPSD2 bodies name them. */
const FIELD_PATHS: Record<string, string> = {
  'instruction.amount.value': 'instructedAmount.amount',
  'instruction.amount.currency': 'instructedAmount.currency',
  'instruction.creditor.account.scheme': 'creditorAccount',
  'instruction.creditor.account.identification': 'creditorAccount.iban',
  'instruction.debtor.account.scheme': 'debtorAccount',
  'instruction.debtor.account.identification': 'debtorAccount.iban',
  'instruction.schedule.first-date': 'startDate',
  'instruction.schedule.final-date': 'endDate',
  'access.clusters': 'access',
  'access.window.from': 'access',
};

/** The NextGenPSD2 body member a neutral field reference names, where it has one. */
export function xs2aMemberOf(field: string): string | undefined {
  return FIELD_PATHS[field];
}

/** `tppMessageText` is at most 500 characters (v1.3.12). */
const TEXT_MAX = 500;

/**
 * NextGenPSD2 error bodies (`Error400_NG_AIS` …): `tppMessages`, each with category ERROR, the
 * code and a text, and the path of the field concerned where there is one; the HTTP status is the
 * one the Implementation Guidelines give the code, whatever the module's own status was.
 */
export const renderXs2aError: ErrorRenderer = (error) => {
  const { status, code } = xs2aCodeOf(error.code, error.errors[0]?.reason ?? 'unexpected', error.status);
  const tppMessages = error.errors.map((problem) => ({
    category: 'ERROR',
    code,
    ...(problem.path ? { path: problem.path } : problem.field ? { path: xs2aMemberOf(problem.field) ?? problem.field } : {}),
    text: (problem.message ?? error.message ?? (status >= 500 ? `The bank could not answer (${error.interactionId})` : code)).slice(0, TEXT_MAX),
  }));
  return { contentType: 'application/json; charset=utf-8', status, body: { tppMessages } };
};
