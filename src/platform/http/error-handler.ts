import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { noteErrorCode } from './error-code-of.ts';
import { AppError, DependencyUnavailableError, isAppError, type ErrorReason } from '../errors/index.ts';
import { HttpErrors } from './http.errors.ts';
import type { ErrorRenderer, RenderableError } from './error-renderer.ts';

/** Chooses the renderer for a request (routes of different standards render differently). */
export type ErrorRendererResolver = (request: FastifyRequest) => ErrorRenderer;

const FASTIFY_CODES: Record<string, AppError['definition']> = {
  FST_ERR_CTP_INVALID_JSON_BODY: HttpErrors.INVALID_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: HttpErrors.EMPTY_BODY,
  FST_ERR_CTP_BODY_TOO_LARGE: HttpErrors.BODY_TOO_LARGE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: HttpErrors.BAD_REQUEST,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: HttpErrors.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_TYPE: HttpErrors.UNSUPPORTED_MEDIA_TYPE,
};

/** Schema keywords whose violation has a more precise reason than Field.Invalid (OB: U004, U005). */
const VALIDATION_REASONS: Record<string, ErrorReason> = {
  required: 'field.missing',
  additionalProperties: 'field.unexpected',
};

/** Turns any thrown value into an AppError; unknown errors become HTTP.INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof DependencyUnavailableError) return new AppError(HttpErrors.UNAVAILABLE, { cause: error });
  const fastifyError = error as Partial<FastifyError> & { type?: string; status?: number };
  if (fastifyError?.validation) {
    return new AppError(HttpErrors.VALIDATION, {
      details: fastifyError.validation.map((issue) => {
        // The member a `required` or `additionalProperties` violation is about, to name it in the path.
        const member = issue.params?.['missingProperty'] ?? issue.params?.['additionalProperty'];
        // An enum violation names the values allowed, so the caller knows what to send.
        const allowed = issue.keyword === 'enum' && Array.isArray(issue.params?.['allowedValues']) ? `must be one of: ${(issue.params['allowedValues'] as unknown[]).map(String).join(', ')}` : undefined;
        return {
          reason: VALIDATION_REASONS[issue.keyword] ?? ('field.invalid' as const),
          message: `${issue.instancePath || 'request'} ${allowed ?? issue.message ?? 'is invalid'}${typeof issue.params?.['additionalProperty'] === 'string' ? `: ${issue.params['additionalProperty']}` : ''}`.trim(),
          path: jsonPath(fastifyError.validationContext, issue.instancePath, member),
        };
      }),
      cause: error,
    });
  }
  const mapped = fastifyError?.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, { cause: error });
  if (/JSON/.test(fastifyError?.message ?? '') && fastifyError?.statusCode === 400) return new AppError(HttpErrors.INVALID_JSON, { cause: error });
  const status = fastifyError?.statusCode ?? fastifyError?.status;
  if (status === 413) return new AppError(HttpErrors.BODY_TOO_LARGE, { cause: error });
  if (status === 415) return new AppError(HttpErrors.UNSUPPORTED_MEDIA_TYPE, { cause: error });
  if (status === 406) return new AppError(HttpErrors.NOT_ACCEPTABLE, { cause: error });
  if (status === 429) return new AppError(HttpErrors.TOO_MANY_REQUESTS, { cause: error });
  if (status !== undefined && status >= 400 && status < 500) return new AppError(HttpErrors.BAD_REQUEST, { cause: error });
  return new AppError(HttpErrors.INTERNAL, { cause: error });
}

function jsonPath(context: string | undefined, instancePath: string | undefined, missing: unknown): string | undefined {
  const segments = (instancePath ?? '').split('/').filter(Boolean);
  if (typeof missing === 'string') segments.push(missing);
  if (segments.length === 0) return undefined;
  const path = segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
  return context === 'body' || context === undefined ? path : `${context}.${path}`;
}

export function renderableFrom(error: AppError, interactionId: string): RenderableError {
  const exposed = error.definition.expose;
  const message = exposed ? error.message : undefined;
  const errors =
    error.details.length > 0 && exposed
      ? error.details.map((d) => ({ ...d, reason: d.reason ?? error.definition.reason, message: d.message ?? message }))
      : [{ reason: error.definition.reason, message }];
  return { status: error.status, code: error.code, interactionId, message, errors };
}

/** Seconds a client should wait before retrying a 503 or 429: what the error or the failing dependency said, else 1. */
export function retryAfterSeconds(error: AppError): number {
  if (error.retryAfterSeconds !== undefined) return error.retryAfterSeconds;
  return error.cause instanceof DependencyUnavailableError ? error.cause.retryAfterSeconds : 1;
}

/**
 * One error handler for the whole server (DESIGN.md §2.5): module errors and framework errors
 * become the standard's error body; internals go to the log only; a 500 says nothing but its id.
 */
export function installErrorHandling(app: FastifyInstance, resolveRenderer: ErrorRendererResolver): void {
  const send = (request: FastifyRequest, reply: FastifyReply, error: AppError) => {
    const { contentType, body, status = error.status } = resolveRenderer(request)(renderableFrom(error, request.id));
    noteErrorCode(request, error.code);
    if (error.status >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, 'request failed');
    else request.log.info({ code: error.code, status: error.status }, 'request rejected');
    // RFC 9110 §10.2.3: a 503 says when to try again (the failing dependency's circuit lets a probe through then).
    // RFC 6585 §4: a 429 (a rate limit, a daily quota) says when the allowance is back (OB v4.0 `429Error`: Retry-After).
    if (error.status === 503 || error.status === 429) reply.header('retry-after', String(retryAfterSeconds(error)));
    return reply.status(status).type(contentType).send(body);
  };

  app.setErrorHandler((error, request, reply) => send(request, reply, toAppError(error)));
  app.setNotFoundHandler((request, reply) => send(request, reply, new AppError(HttpErrors.NOT_FOUND)));
}
