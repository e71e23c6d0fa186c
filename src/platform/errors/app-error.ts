/**
 * The neutral reason of an error, named after the UK Open Banking error taxonomy because that is
 * the richest one the platform speaks. Each standard facade maps a reason to its own wire code
 * (UK OB v4.0: `U0xx`; v3.1: `UK.OBIE.*`).
 */
export type ErrorReason =
  | 'Field.Expected'
  | 'Field.Invalid'
  | 'Field.InvalidDate'
  | 'Field.Missing'
  | 'Field.Unexpected'
  | 'Header.Invalid'
  | 'Header.Missing'
  | 'Resource.ConsentMismatch'
  | 'Resource.InvalidConsentStatus'
  | 'Resource.InvalidFormat'
  | 'Resource.NotFound'
  | 'Rules.AfterCutOffDateTime'
  | 'Rules.DuplicateReference'
  | 'Rules.FailsControlParameters'
  | 'Signature.Invalid'
  | 'Signature.InvalidClaim'
  | 'Signature.MissingClaim'
  | 'Signature.Malformed'
  | 'Signature.Missing'
  | 'Signature.Unexpected'
  | 'Unsupported.AccountIdentifier'
  | 'Unsupported.AccountSecondaryIdentifier'
  | 'Unsupported.Currency'
  | 'Unsupported.EventType'
  | 'Unsupported.Frequency'
  | 'Unsupported.LocalInstrument'
  | 'Unsupported.Scheme'
  | 'Reauthenticate'
  | 'Rules.ResourceAlreadyExists'
  | 'UnexpectedError';

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
  /** JSON path of the offending field, e.g. `Data.Initiation.InstructedAmount.Currency`. */
  readonly path?: string;
}

export class AppError extends Error {
  readonly definition: ErrorDefinition;
  readonly details: readonly ErrorDetail[];

  constructor(definition: ErrorDefinition, options: { message?: string; details?: readonly ErrorDetail[]; cause?: unknown } = {}) {
    super(options.message ?? definition.message, { cause: options.cause });
    this.name = 'AppError';
    this.definition = definition;
    this.details = options.details ?? [];
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
