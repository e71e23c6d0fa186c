/** Thrown by a handler for a failure no retry can mend: the job goes straight to `failed`. */
export class PermanentJobError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
