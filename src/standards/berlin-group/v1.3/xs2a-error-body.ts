import type { ErrorRenderer } from '../../../platform/http/index.ts';
import { xs2aCodeOf } from './xs2a-error-codes.ts';

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
    ...(problem.path ? { path: problem.path } : problem.field ? { path: problem.field } : {}),
    text: (problem.message ?? error.message ?? (status >= 500 ? `The bank could not answer (${error.interactionId})` : code)).slice(0, TEXT_MAX),
  }));
  return { contentType: 'application/json; charset=utf-8', status, body: { tppMessages } };
};
