import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../platform/config/index.ts';
import { createHttpsFetch } from '../platform/https-client/index.ts';
import { createRegistersModule, readCreditInstitutionsRegisterFile, readDnbRegisterFile, readEbaRegisterFile, REGISTERS, type RegisterChange, type RegisterDiff, type RegisterName, type RegisterProgress, type RegistersApi } from '../modules/directory/index.ts';
import { synchroniseConfiguredRegister } from '../app/register-sync.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';
import { progressBar } from './progress-bar.ts';
import { withCache } from './shared-cache.ts';

const entities = (count: number) => `${count} ${count === 1 ? 'entity' : 'entities'}`;

/** Changes of each kind printed in full; the counts cover them all. */
const PRINTED = 50;

function withRegisters<T>(config: Config, work: (registers: RegistersApi) => Promise<T>): Promise<T> {
  // Registers are the platform's database, written by one process at a time: never through a server's API.
  return withDatabase(config, { direct: ({ db }) => withCache(config, (cache) => work(createRegistersModule({ db, cache }))) });
}

function registerNamed(name: string | undefined, config: Config): RegisterName[] {
  if (name === undefined) {
    if (config.registers.enabled.length === 0) throw new CliError('no register is enabled (REGISTERS=eba,fca,cir,dnb); name one with --register', 2);
    return [...config.registers.enabled];
  }
  const register = name.toUpperCase() as RegisterName;
  if (!REGISTERS.includes(register)) throw new CliError(`--register must be one of ${REGISTERS.map((item) => item.toLowerCase()).join(', ')} (got "${name}")`, 2);
  return [register];
}

/** The diff as an operator reads it: counts, then who was withdrawn, added and changed. */
export function formatDiff(diff: RegisterDiff): string {
  const { counts } = diff;
  const lines = [`${diff.register} register: ${entities(diff.total)}; ${counts.added} added, ${counts.withdrawn} withdrawn, ${counts.changed} changed, ${counts.unchanged} unchanged`];
  const section = (title: string, count: number, changes: readonly RegisterChange[]) => {
    if (count === 0) return;
    lines.push(`${title}:`);
    for (const change of changes.slice(0, PRINTED)) lines.push(`  ${change.organizationIdentifier}  ${change.name}  (${change.entityCode})`);
    if (count > PRINTED) lines.push(`  … and ${count - PRINTED} more`);
  };
  section('Withdrawn', counts.withdrawn, diff.withdrawn);
  section('Added', counts.added, diff.added);
  section('Changed', counts.changed, diff.changed);
  return `${lines.join('\n')}\n`;
}

/**
 * `portico registers sync [--register eba|fca|cir|dnb] [--frn N,…]`: fetches each register (the enabled
 * ones by default) from its publisher, applies the changes and prints the diff. `--frn` adds FCA
 * firms to hold.
 */
export async function registersSyncCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { register: { type: 'string' }, frn: { type: 'string' } }, strict: true });
  const config = loadConfig();
  const addFrns = values.frn?.split(',').map((frn) => frn.trim()).filter(Boolean) ?? [];
  const invalid = addFrns.find((frn) => !/^\d{1,10}$/.test(frn));
  if (invalid) throw new CliError(`--frn takes Firm Reference Numbers, comma-separated (got "${invalid}")`, 2);
  const fetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 60_000 });
  try {
    await withRegisters(config, async (registers) => {
      for (const register of registerNamed(values.register, config)) {
        const bar = progressBar();
        try {
          const { diff, notes } = await synchroniseConfiguredRegister(register, { config, registers, fetch }, { onProgress: bar.update, addFrns: register === 'FCA' ? addFrns : [] }).catch((error: unknown) => {
            // Nothing was changed: a register that cannot be read is never read as withdrawals.
            throw new CliError(`cannot synchronise the ${register} register, nothing was changed: ${(error as Error).message}`);
          });
          bar.stop();
          for (const note of notes) process.stderr.write(`${register}: ${note}\n`);
          if (diff) process.stdout.write(formatDiff(diff));
        } finally {
          bar.stop();
        }
      }
    });
  } finally {
    await fetch.close();
  }
}

/** The registers read whole from a file, and how. */
const FILE_READERS = {
  EBA: readEbaRegisterFile,
  CIR: readCreditInstitutionsRegisterFile,
  DNB: (file: string, onProgress: RegisterProgress) => readDnbRegisterFile(file, onProgress),
} as const;

/**
 * `portico registers import [--register eba|cir|dnb] FILE`: a register read whole from a file, for
 * banks without access to its publisher — the EBA PSD2 register (its ZIP or JSON, the default), the
 * EBA Credit Institutions Register (the JSON its search answers) or DNB's public register (the
 * publications its API answers, one or an array of pages).
 */
export async function registersImportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { register: { type: 'string', default: 'eba' } } });
  const [file] = positionals;
  const usage = 'usage: portico registers import [--register eba|cir|dnb] FILE (the EBA PSD2 register, ZIP or JSON; the EBA Credit Institutions Register, JSON; or DNB publications, JSON)';
  if (!file || positionals.length > 1) throw new CliError(usage, 2);
  const register = values.register.toUpperCase();
  if (register !== 'EBA' && register !== 'CIR' && register !== 'DNB') throw new CliError(`--register must be eba, cir or dnb for a file (got "${values.register}")`, 2);
  const bar = progressBar();
  try {
    const parsed = await FILE_READERS[register](file, bar.update).catch((error: unknown) => {
      throw new CliError(`cannot import ${file}: ${(error as Error).message}`);
    });
    const diff = await withRegisters(loadConfig(), (registers) => registers.synchronise({ register, source: file, entities: parsed.entities }, { onProgress: bar.update }));
    bar.stop();
    if (parsed.malformed.length > 0) process.stderr.write(`${parsed.malformed.length} malformed entries skipped, first: ${parsed.malformed[0]}\n`);
    process.stdout.write(formatDiff(diff));
  } finally {
    bar.stop();
  }
}

/** `portico registers status`: the latest synchronisations, newest first. */
export async function registersStatusCommand(): Promise<void> {
  const syncs = await withRegisters(loadConfig(), (registers) => registers.latestSyncs(10));
  if (syncs.length === 0) {
    process.stdout.write('No register has been synchronised yet: portico registers sync, or portico registers import FILE.\n');
    return;
  }
  for (const sync of syncs) {
    const { counts } = sync.diff;
    process.stdout.write(
      `${sync.finishedAt.toISOString()}  ${sync.register}  ${entities(sync.diff.total)}  +${counts.added} -${counts.withdrawn} ~${counts.changed}  from ${sync.source}\n`,
    );
  }
}
