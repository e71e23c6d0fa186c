export { AppError, isAppError, defineErrors } from './app-error.ts';
export type { ErrorDefinition, ErrorDetail, ErrorReason } from './app-error.ts';
export type { AccountRef, AmountRef, FieldRef } from './field-ref.ts';
