import type { JobWake } from './job-wake.ts';

/**
 * Wake-ups within one process: the embedded database (PGlite) belongs to one process, so the
 * process that schedules a job is the one that runs it.
 */
export class InProcessWake implements JobWake {
  private readonly listeners = new Set<() => void>();

  /** True while some worker of this process listens. */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  wake(): void {
    // After the caller's own work, as a notification from another process would arrive.
    for (const listener of this.listeners) queueMicrotask(listener);
  }

  async listen(listener: () => void): Promise<() => Promise<void>> {
    const own = () => listener();
    this.listeners.add(own);
    return async () => {
      this.listeners.delete(own);
    };
  }
}
