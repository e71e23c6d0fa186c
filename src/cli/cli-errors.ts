/** A usage or operator error: printed as one line, exit code 2 (usage) or 1 (failure). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
