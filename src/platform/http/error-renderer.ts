import type { ErrorDetail, ErrorReason } from '../errors/index.ts';

/** A failure ready to be written in a standard's error format. */
export interface RenderableError {
  readonly status: number;
  readonly code: string;
  readonly interactionId: string;
  /** Client-safe message; absent for unexposed errors (5xx). */
  readonly message: string | undefined;
  /** Each problem: its reason, and the field it is about (a neutral `field` the renderer names in its standard's terms, or a wire `path`). */
  readonly errors: ReadonlyArray<{ reason: ErrorReason; message: string | undefined } & Pick<ErrorDetail, 'field' | 'index' | 'item' | 'path'>>;
}

/**
 * Writes an error body in one standard's format (UK OB v4.0 `OBErrorResponse1`, Berlin Group, …),
 * and the HTTP status when the standard ties it to its own code (Berlin Group does).
 */
export type ErrorRenderer = (error: RenderableError) => { contentType: string; body: unknown; status?: number };
