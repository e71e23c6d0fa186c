/**
 * Runs a reload every few seconds in the background (not keeping the process alive); a failed
 * reload is reported and the next one tried. What the key rings use to follow rotations made
 * by another process.
 */
export class PeriodicRefresh {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly reload: () => Promise<void>) {}

  start(seconds: number, onError: (error: unknown) => void): void {
    this.stop();
    this.timer = setInterval(() => void this.reload().catch(onError), seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
