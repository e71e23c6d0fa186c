import type { FieldRef } from './field-ref.ts';

/**
 * The neutral reason of an error: what went wrong, in no standard's terms. Each standard facade
 * maps a reason to its own wire code (UK OB v4.0: `U0xx`; Berlin Group: its `tppMessages` codes).
 */
export type ErrorReason =
  | 'field.expected'
  | 'field.invalid'
  | 'field.invalid-date'
  | 'field.missing'
  | 'field.unexpected'
  | 'header.invalid'
  | 'header.missing'
  | 'consent.mismatch'
  | 'consent.invalid-status'
  | 'resource.invalid-format'
  | 'resource.not-found'
  | 'rules.after-cut-off'
  | 'rules.duplicate-reference'
  | 'rules.exceeds-controls'
  | 'signature.invalid'
  | 'signature.invalid-claim'
  | 'signature.missing-claim'
  | 'signature.malformed'
  | 'signature.missing'
  | 'signature.unexpected'
  | 'unsupported.account-identifier'
  | 'unsupported.account-secondary-identifier'
  | 'unsupported.currency'
  | 'unsupported.event-type'
  | 'unsupported.frequency'
  | 'unsupported.local-instrument'
  | 'unsupported.scheme'
  | 'auth.reauthenticate'
  | 'rules.resource-exists'
  | 'unexpected';

/** One entry of a module's error catalogue. */
export interface ErrorDefinition {
  /** Stable code, `MODULE.NAME`, used in logs and metrics. */
  readonly code: string;
  readonly status: number;
  readonly reason: ErrorReason;
  /** Default client-facing message. */
  readonly message: string;
  /** Whether the message may be shown to the client; unexposed errors answer with a generic text. */
  readonly expose: boolean;
}

export interface ErrorDetail {
  readonly reason?: ErrorReason;
  readonly message?: string;
  /** The offending field in the domain's terms; the standard's facade names it on the wire. */
  readonly field?: FieldRef;
  /** Which element of a list `field` is about (`controls.periodic-limits[]`). */
  readonly index?: number;
  /** Which payment of a bulk order the error is about. */
  readonly item?: number;
  /** Wire path of the offending field, for errors found where the wire body is read (schema validation). */
  readonly path?: string;
}

export class AppError extends Error {
  readonly definition: ErrorDefinition;
  readonly details: readonly ErrorDetail[];
  /** A refusal that lifts by itself (429): whole seconds until a retry may pass (RFC 9110 §10.2.3 `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(definition: ErrorDefinition, options: { message?: string; details?: readonly ErrorDetail[]; cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(options.message ?? definition.message, { cause: options.cause });
    this.name = 'AppError';
    this.definition = definition;
    this.details = options.details ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(options.retryAfterSeconds));
  }

  get status(): number {
    return this.definition.status;
  }

  get code(): string {
    return this.definition.code;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A catalogue entry whose message the client may see (`expose: true`). */
export function exposed(status: number, reason: ErrorReason, message: string): Omit<ErrorDefinition, 'code'> {
  return { status, reason, message, expose: true };
}

/** Declares a module's catalogue; keeps `code` equal to `PREFIX.KEY` so codes stay stable and unique. */
export function defineErrors<K extends string>(
  prefix: string,
  entries: Record<K, Omit<ErrorDefinition, 'code'>>,
): Record<K, ErrorDefinition> {
  const catalogue = {} as Record<K, ErrorDefinition>;
  for (const key of Object.keys(entries) as K[]) {
    catalogue[key] = { code: `${prefix}.${key}`, ...entries[key] };
  }
  return catalogue;
}
