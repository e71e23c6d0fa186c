/**
 * A bound on the password hashes one process runs at once. Each scrypt takes 128 MiB and most of a
 * second of a libuv worker thread (password-hash.ts); unbounded, a burst of logins fills the thread
 * pool and the memory of the process and stalls every other request. Excess attempts wait in a
 * short FIFO queue; when it is full, or an attempt has waited `maxWaitMs`, the attempt is refused
 * at once (the caller answers 429 "try again") rather than piling up more hashing work.
 *
 * The bound is per process on purpose: CPU and memory are per process. Rate limits, which must hold
 * across instances, live in the shared cache (login-guard.ts).
 */
export class HashSlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most hashes observed running at once since start (for tests and metrics). */
  peak = 0;
  /** Hashes run since start. */
  runs = 0;

  constructor(
    readonly limit: number,
    readonly maxQueued: number,
    readonly maxWaitMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('HashSlots limit must be a positive integer');
  }

  /** Runs `task` in a slot; rejects with `HashSlotsBusy` when none frees up in time. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    this.runs++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    // A slot is handed over (counted) synchronously, so no later arrival can slip in between.
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueued) return Promise.reject(new HashSlotsBusy());
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new HashSlotsBusy());
      }, this.maxWaitMs);
      this.waiting.push(grant);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** No hashing slot became free in time. */
export class HashSlotsBusy extends Error {
  constructor() {
    super('every password hashing slot is busy');
    this.name = 'HashSlotsBusy';
  }
}
