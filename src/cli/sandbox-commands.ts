import { parseArgs } from 'node:util';
import { isCalendarDay } from '../platform/calendar/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import { createSandboxModule, DEFAULT_SANDBOX_SEED } from '../modules/sandbox/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';
import { progressBar } from './progress-bar.ts';

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new CliError(`--${name} must be a whole number (got "${value}")`, 2);
  return Number(value);
}

/** `portico sandbox seed --customers N --months M --seed S [--as-of YYYY-MM-DD] [--reset]` */
export async function sandboxSeedCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string' },
      months: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const customers = positiveInteger('customers', values.customers, DEFAULT_SANDBOX_SEED.customers);
  const months = positiveInteger('months', values.months, DEFAULT_SANDBOX_SEED.months);
  const seed = positiveInteger('seed', values.seed, DEFAULT_SANDBOX_SEED.seed);
  const asOfText = values['as-of'];
  if (asOfText !== undefined && !isCalendarDay(asOfText)) throw new CliError(`--as-of must be a date YYYY-MM-DD (got "${asOfText}")`, 2);
  const asOf = asOfText === undefined ? new Date() : new Date(`${asOfText}T12:00:00Z`);
  const bar = progressBar();
  // Seeding replaces the bank under a running server's feet, so it never goes through one.
  await withDatabase(loadConfig(), {
    async direct({ db }) {
      try {
        await createSandboxModule({ db }).seed({
          customers,
          months,
          seed,
          asOf,
          reset: values.reset ?? false,
          onProgress: (done, total, phase) => bar.update(phase, done, total),
        });
      } finally {
        bar.stop();
      }
      process.stdout.write(`Seeded the sandbox bank: ${customers} customers, ${months} months of history, seed ${seed}.\n`);
    },
  });
}

/** `portico sandbox psus`: the sandbox PSU logins as JSON, as `GET /sandbox/v1/psus` returns them. */
export async function sandboxPsusCommand(): Promise<void> {
  const psus = await withDatabase(loadConfig(), {
    direct: async ({ db }) => createSandboxModule({ db }).listPsus(),
    viaServer: async (server) => server.request('GET', '/sandbox/v1/psus'),
  });
  process.stdout.write(`${JSON.stringify(psus, null, 2)}\n`);
}
