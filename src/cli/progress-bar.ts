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

export interface ProgressCounter {
  /** Shows `done` for the named phase and its rate since the phase began (at the counter's start or the last `stop`). */
  update(phase: string, done: number): void;
  /** Ends the phase: takes the line away (on a terminal), so that the command's own output goes on from there. */
  stop(): void;
}

/**
 * A running count on stderr for long CLI work whose total is not known beforehand: `phase: done
 * unit (rate/s)`, redrawn in place on a terminal (at most ten times a second), a line a second
 * otherwise — and nothing for a phase done within its first second. A phase begins when the
 * counter is made or the last one stopped: its first count comes once work is under way.
 */
export function progressCounter(unit: string, stream: NodeJS.WriteStream = process.stderr): ProgressCounter {
  const interactive = stream.isTTY === true;
  let since = performance.now();
  let shownAt = since;
  let showing = false;
  return {
    update(phase, done) {
      const now = performance.now();
      if (now - shownAt < (interactive ? 100 : 1000)) return;
      shownAt = now;
      const line = `${phase}: ${done.toLocaleString('en')} ${unit} (${Math.round(done / ((now - since) / 1000)).toLocaleString('en')}/s)`;
      stream.write(interactive ? `\r\x1b[K${line}` : `${line}\n`);
      showing = interactive;
    },
    stop() {
      if (showing) stream.write('\r\x1b[K');
      showing = false;
      since = shownAt = performance.now();
    },
  };
}
