import type { FastifyRequest } from 'fastify';
import type { ErrorRenderer } from '../../../platform/http/index.ts';
import { ClientsErrors } from '../../../modules/clients/index.ts';

/** Route config marking the routes whose errors are written in OB DCR v3.4's format. */
export const DCR_ROUTE_CONFIG = { errorFormat: 'ob-dcr-v3.4' } as const;

export function isDcrRequest(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { errorFormat?: string } | undefined)?.errorFormat === DCR_ROUTE_CONFIG.errorFormat;
}

/** OB DCR v3.4 `RegistrationError.error` (RFC 7591 §3.2.2) for the codes that are not plain metadata errors. */
const REGISTRATION_ERRORS: Record<string, string> = {
  [ClientsErrors.REDIRECT_URI_INVALID.code]: 'invalid_redirect_uri',
  [ClientsErrors.SOFTWARE_STATEMENT_INVALID.code]: 'invalid_software_statement',
  [ClientsErrors.SOFTWARE_STATEMENT_MISMATCH.code]: 'invalid_software_statement',
  [ClientsErrors.SOFTWARE_STATEMENT_UNAPPROVED.code]: 'unapproved_software_statement',
};

/** RFC 6750 §3.1 codes for the bearer-protected routes' token failures. */
const TOKEN_ERRORS = new Set([ClientsErrors.ACCESS_TOKEN_MISSING.code, ClientsErrors.ACCESS_TOKEN_INVALID.code]);

const MAX_DESCRIPTION = 500; // RegistrationError.error_description maxLength

function errorCode(status: number, code: string): string {
  if (status === 400) return REGISTRATION_ERRORS[code] ?? 'invalid_client_metadata';
  if (status === 401) return TOKEN_ERRORS.has(code) ? 'invalid_token' : 'invalid_client';
  if (status === 403) return 'access_denied';
  // RFC 6749 §4.1.2.1: the server cannot answer now (a dependency down, or the TPP's allowance used up), and the client may retry after Retry-After.
  if (status === 503 || status === 429) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/**
 * OB DCR v3.4 error bodies: `RegistrationError` (`error` + `error_description`) for 400, the same
 * shape with RFC 6749/6750 codes for the 401/403/4xx the spec leaves without a body schema. A 5xx
 * names only the interaction id (DESIGN.md §2.5); a 503 (a dependency down: retry after
 * Retry-After) is `temporarily_unavailable`, any other `server_error`.
 */
export const renderDcrError: ErrorRenderer = (error) => {
  const detail = error.errors.find((e) => e.message && e.message !== error.message)?.message;
  const text = error.message === undefined ? `interaction id ${error.interactionId}` : detail ? `${error.message}: ${detail}` : error.message;
  const description = text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
  return { contentType: 'application/json; charset=utf-8', body: { error: errorCode(error.status, error.code), error_description: description } };
};
