import { defineErrors, exposed } from '../errors/index.ts';

/** Errors raised by the HTTP layer itself, before any module sees the request. */
export const HttpErrors = defineErrors('HTTP', {
  NOT_FOUND: exposed(404, 'resource.not-found', 'No resource at this path'),
  METHOD_NOT_ALLOWED: exposed(405, 'resource.not-found', 'Method not allowed on this path'),
  INVALID_JSON: exposed(400, 'resource.invalid-format', 'Request body is not valid JSON'),
  EMPTY_BODY: exposed(400, 'resource.invalid-format', 'Request body is empty'),
  BODY_TOO_LARGE: exposed(413, 'resource.invalid-format', 'Request body is too large'),
  UNSUPPORTED_MEDIA_TYPE: exposed(415, 'header.invalid', 'Unsupported Content-Type'),
  NOT_ACCEPTABLE: exposed(406, 'header.invalid', 'Requested media type cannot be produced'),
  VALIDATION: exposed(400, 'field.invalid', 'Request does not match the schema'),
  BAD_REQUEST: exposed(400, 'resource.invalid-format', 'Malformed request'),
  INVALID_UTF8: exposed(400, 'resource.invalid-format', 'Request body is not valid UTF-8'),
  DUPLICATE_MEMBER: exposed(400, 'resource.invalid-format', 'Request body names the same member twice in one object'),
  NESTING_TOO_DEEP: exposed(400, 'resource.invalid-format', 'Request body nests too deeply'),
  NUMBER_OUT_OF_RANGE: exposed(400, 'field.invalid', 'Number out of range'),
  UNSTORABLE_TEXT: exposed(400, 'field.invalid', 'Text must not contain NUL characters or unpaired UTF-16 surrogates'),
  BAD_URL: exposed(400, 'field.invalid', 'Request URL is not valid percent-encoded UTF-8'),
  URI_TOO_LONG: exposed(414, 'field.invalid', 'Request URL or one of its path parameters is too long'),
  HEADERS_TOO_LARGE: exposed(431, 'header.invalid', 'Request headers are too large'),
  MALFORMED_REQUEST: exposed(400, 'header.invalid', 'Malformed HTTP request (request line or header bytes)'),
  REQUEST_TIMEOUT: exposed(408, 'unexpected', 'Request not received in time'),
  TOO_MANY_REQUESTS: exposed(429, 'unexpected', 'Too many requests'),
  UNAVAILABLE: exposed(503, 'unexpected', 'Service temporarily unavailable: retry after the delay given in Retry-After'),
  INTERNAL: { status: 500, reason: 'unexpected', message: 'Unexpected error', expose: false },
});
