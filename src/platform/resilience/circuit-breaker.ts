/** The state of a circuit: calls pass (closed), fail at once (open), or one probes (half-open). */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** How long the circuit stays open after a failure before one call may probe (ms). */
  readonly openMs: number;
  /** Outages in a row, while closed, that open it (default 1: the first). */
  readonly failuresToOpen?: number;
  /** Which errors say the service is unavailable (others, e.g. a command's own error, do not count). */
  readonly isOutage?: (error: unknown) => boolean;
  readonly now?: () => number;
  /** Told of every change of state (logs). */
  readonly onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/** Thrown instead of calling while the circuit is open: the service failed moments ago. */
export class CircuitOpenError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('circuit open: the service failed moments ago');
    this.name = 'CircuitOpenError';
  }
}

/**
 * A circuit breaker around one remote service (the shared cache, the core gateway). After
 * `failuresToOpen` outages in a row the circuit opens: calls fail at once for `openMs`, instead of
 * each waiting for its own timeout. Then one call probes (half-open) while the others still fail at
 * once; its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private openUntil = 0;
  private openings = 0;
  private failuresInARow = 0;
  private readonly now: () => number;
  private readonly isOutage: (error: unknown) => boolean;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
    this.isOutage = options.isOutage ?? (() => true);
  }

  get state(): CircuitState {
    return this.current;
  }

  /** How many times the circuit has opened from closed since start (each one an interruption of the service). */
  get opens(): number {
    return this.openings;
  }

  /** Milliseconds until a call may probe again (0 unless open). */
  retryAfterMs(): number {
    return this.current === 'open' ? Math.max(0, this.openUntil - this.now()) : 0;
  }

  /** Runs `call` unless the circuit is open (then throws `CircuitOpenError` without calling). */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const probe = this.admit();
    try {
      const result = await call();
      this.failuresInARow = 0;
      if (probe) this.close();
      return result;
    } catch (error) {
      if (!this.isOutage(error)) {
        if (probe) this.close();
      } else if (probe || ++this.failuresInARow >= (this.options.failuresToOpen ?? 1)) this.trip();
      throw error;
    }
  }

  /** Opens the circuit now, e.g. when the connection is known to be lost. */
  trip(): void {
    if (this.current === 'closed') this.openings += 1;
    if (this.current !== 'open') this.setState('open');
    this.openUntil = this.now() + this.options.openMs;
  }

  /** Closes the circuit, e.g. when the connection is known to be back. */
  close(): void {
    this.failuresInARow = 0;
    if (this.current !== 'closed') this.setState('closed');
  }

  /** Whether this call is the probe of a half-open circuit; throws when the call may not run. */
  private admit(): boolean {
    if (this.current === 'closed') return false;
    if (this.current === 'open' && this.now() >= this.openUntil) {
      this.setState('half-open');
      return true;
    }
    // Half-open: the probe decides; the others may try again once it had its chance.
    throw new CircuitOpenError(this.current === 'open' ? this.openUntil - this.now() : this.options.openMs);
  }

  private setState(state: CircuitState): void {
    const previous = this.current;
    this.current = state;
    this.options.onStateChange?.(state, previous);
  }
}
