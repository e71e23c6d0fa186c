import { STATUS_CODES } from 'node:http';
import type { ErrorRenderer } from '../../../platform/http/index.ts';
import { OB_V4_ERROR_CODES } from './ob-error-codes.ts';
import { obPathOf } from './_wire/ob-field-paths.ts';

const MAX_TEXT = 500; // OBError1.Message / OBErrorResponse1.Message maxLength

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/**
 * Renders `OBErrorResponse1` (OB v4.0): each neutral reason as its `U0xx` code, each neutral field
 * reference as its OB path. `Id` is the interaction id, so a TPP quoting it lets
 * support find the request's logs. Unexposed errors (5xx) carry the id, the status and the generic
 * code only.
 */
export const renderObErrorV4: ErrorRenderer = (error) => {
  const statusText = (STATUS_CODES[error.status] ?? 'Error').replace(/\s+/g, '');
  const Errors = error.errors.map((e) => {
    const path = e.path ?? (e.field ? obPathOf({ field: e.field, index: e.index, item: e.item }) : undefined);
    return { ErrorCode: OB_V4_ERROR_CODES[e.reason], ...(e.message ? { Message: clip(e.message) } : {}), ...(path ? { Path: clip(path) } : {}) };
  });
  // An unexposed error (5xx) still has the body's shape: Code and the status's own text, nothing internal.
  const message = error.message ?? STATUS_CODES[error.status] ?? 'Error';
  const body = { Id: error.interactionId, Code: `${error.status} ${statusText}`.slice(0, 40), Message: clip(message), Errors };
  return { contentType: 'application/json; charset=utf-8', body };
};
