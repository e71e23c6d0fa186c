import { defineErrors } from '../errors/index.ts';

/** Errors raised by the HTTP layer itself, before any module sees the request. */
export const HttpErrors = defineErrors('HTTP', {
  NOT_FOUND: { status: 404, reason: 'resource.not-found', message: 'No resource at this path', expose: true },
  METHOD_NOT_ALLOWED: { status: 405, reason: 'resource.not-found', message: 'Method not allowed on this path', expose: true },
  INVALID_JSON: { status: 400, reason: 'resource.invalid-format', message: 'Request body is not valid JSON', expose: true },
  EMPTY_BODY: { status: 400, reason: 'resource.invalid-format', message: 'Request body is empty', expose: true },
  BODY_TOO_LARGE: { status: 413, reason: 'resource.invalid-format', message: 'Request body is too large', expose: true },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, reason: 'header.invalid', message: 'Unsupported Content-Type', expose: true },
  NOT_ACCEPTABLE: { status: 406, reason: 'header.invalid', message: 'Requested media type cannot be produced', expose: true },
  VALIDATION: { status: 400, reason: 'field.invalid', message: 'Request does not match the schema', expose: true },
  BAD_REQUEST: { status: 400, reason: 'resource.invalid-format', message: 'Malformed request', expose: true },
  INVALID_UTF8: { status: 400, reason: 'resource.invalid-format', message: 'Request body is not valid UTF-8', expose: true },
  DUPLICATE_MEMBER: { status: 400, reason: 'resource.invalid-format', message: 'Request body names the same member twice in one object', expose: true },
  NESTING_TOO_DEEP: { status: 400, reason: 'resource.invalid-format', message: 'Request body nests too deeply', expose: true },
  NUMBER_OUT_OF_RANGE: { status: 400, reason: 'field.invalid', message: 'Number out of range', expose: true },
  UNSTORABLE_TEXT: { status: 400, reason: 'field.invalid', message: 'Text must not contain NUL characters or unpaired UTF-16 surrogates', expose: true },
  BAD_URL: { status: 400, reason: 'field.invalid', message: 'Request URL is not valid percent-encoded UTF-8', expose: true },
  URI_TOO_LONG: { status: 414, reason: 'field.invalid', message: 'Request URL or one of its path parameters is too long', expose: true },
  HEADERS_TOO_LARGE: { status: 431, reason: 'header.invalid', message: 'Request headers are too large', expose: true },
  MALFORMED_REQUEST: { status: 400, reason: 'header.invalid', message: 'Malformed HTTP request (request line or header bytes)', expose: true },
  REQUEST_TIMEOUT: { status: 408, reason: 'unexpected', message: 'Request not received in time', expose: true },
  TOO_MANY_REQUESTS: { status: 429, reason: 'unexpected', message: 'Too many requests', expose: true },
  UNAVAILABLE: { status: 503, reason: 'unexpected', message: 'Service temporarily unavailable: retry after the delay given in Retry-After', expose: true },
  INTERNAL: { status: 500, reason: 'unexpected', message: 'Unexpected error', expose: false },
});
