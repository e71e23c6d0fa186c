export { AppError, isAppError, defineErrors, exposed } from './app-error.ts';
export type { ErrorDefinition, ErrorDetail, ErrorReason } from './app-error.ts';
export type { AccountRef, AmountRef, FieldRef } from './field-ref.ts';
export { DependencyUnavailableError } from './dependency-unavailable-error.ts';
