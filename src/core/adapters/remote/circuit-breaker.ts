/**
 * A circuit breaker for calls to one service: `failures` failures in a row open it for `openMs`,
 * during which calls fail fast; then one probe at a time is let through (half-open), and its
 * success closes the circuit.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly failures: number,
    private readonly openMs: number,
    private readonly onChange: (state: 'open' | 'closed') => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until a call may be tried, 0 when it may be now (a half-open probe counts). */
  admit(): number {
    if (this.consecutiveFailures < this.failures) return 0;
    const wait = this.openUntil - this.now();
    if (wait > 0) return wait;
    if (this.probing) return this.openMs;
    this.probing = true;
    return 0;
  }

  succeeded(): void {
    const wasOpen = this.consecutiveFailures >= this.failures;
    this.consecutiveFailures = 0;
    this.probing = false;
    if (wasOpen) this.onChange('closed');
  }

  failed(): void {
    this.probing = false;
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.failures) this.openUntil = this.now() + this.openMs;
    if (this.consecutiveFailures === this.failures) this.onChange('open');
  }

  get isOpen(): boolean {
    return this.consecutiveFailures >= this.failures;
  }
}
