/**
 * How a process that schedules work (an API process accepting a payment) asks the workers to look
 * for due jobs now rather than at their next poll. A wake-up is a hint: one that is lost only
 * delays the job to the next poll, so `wake()` never fails its caller.
 */
export interface JobWake {
  /** Asks every listening worker (in this process or another) for a pass now. */
  wake(): void;
  /** Calls `listener` on each wake-up until the returned function is called; resolves once listening. */
  listen(listener: () => void): Promise<() => Promise<void>>;
}
