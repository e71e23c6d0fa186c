import cliProgress from 'cli-progress';

export interface ProgressBar {
  /** Shows `done` of `total` for the named phase; the bar appears on the first call. */
  update(phase: string, done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for long CLI work: redrawn in place on a terminal, a line a second
 * otherwise (logs of a job runner), so stdout keeps only the command's result.
 */
export function progressBar(): ProgressBar {
  const interactive = process.stderr.isTTY === true;
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {percentage}% | {value}/{total}', hideCursor: true, noTTYOutput: !interactive, notTTYSchedule: 1000, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(phase, done, total) {
      if (!started) {
        bar.start(total, 0, { phase: phase.padEnd(14) });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { phase: phase.padEnd(14) });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
