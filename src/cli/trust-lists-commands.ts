import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
import { createHttpsFetch } from '../platform/https-client/index.ts';
import { createTrustedListsModule, type TrustedListsApi } from '../modules/directory/index.ts';
import { refreshTrustedLists } from '../app/trusted-lists-refresh.ts';
import type { Config } from '../platform/config/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';
import { progressBar } from './progress-bar.ts';
import { withCache } from './shared-cache.ts';

function withTrustedLists<T>(config: Config, work: (trustedLists: TrustedListsApi) => Promise<T>): Promise<T> {
  return withDatabase(config, { direct: ({ db }) => withCache(config, (cache) => work(createTrustedListsModule({ db, cache }))) });
}

/**
 * `portico trust-lists refresh [--lotl FILE --dir DIR]`: the configured CA set and the EU List of
 * Trusted Lists with its national lists, from their URLs or, offline, from a LOTL file and a folder
 * of national lists; prints what became of each territory's list.
 */
export async function trustListsRefreshCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { lotl: { type: 'string' }, dir: { type: 'string' } }, strict: true });
  if ((values.lotl === undefined) !== (values.dir === undefined)) throw new CliError('--lotl and --dir go together: the LOTL file and the folder of the national lists it points at', 2);
  const config = loadConfig();
  if (!config.trust.eidas) throw new CliError('trusted lists are held for the eIDAS adapter: set DIRECTORY to name eidas (docs/configuration.md#production-trust)', 2);
  const fetch = createHttpsFetch({ allowPlainHttp: true, timeoutMs: 60_000 });
  const bar = progressBar();
  try {
    const outcomes = await withTrustedLists(config, (trustedLists) =>
      refreshTrustedLists({ config, trustedLists, fetch }, { from: values.lotl && values.dir ? { lotlFile: values.lotl, directory: values.dir } : undefined, onProgress: bar.update }),
    );
    bar.stop();
    for (const outcome of outcomes) {
      const figures = [outcome.sequenceNumber !== undefined ? `sequence ${outcome.sequenceNumber}` : '', outcome.services !== undefined ? `${outcome.services} services` : ''].filter(Boolean).join(', ');
      process.stdout.write(`${outcome.territory}  ${outcome.outcome}${figures ? `  ${figures}` : ''}${outcome.problem ? `  ${outcome.problem}` : ''}\n`);
    }
    if (outcomes.some((outcome) => outcome.outcome === 'refused' || outcome.outcome === 'unavailable')) process.exitCode = 1;
  } catch (error) {
    throw new CliError(`the trusted lists were not refreshed: ${(error as Error).message}`);
  } finally {
    bar.stop();
    await fetch.close();
  }
}

/** `portico trust-lists status`: the lists held, with their sequence numbers and when they are due. */
export async function trustListsStatusCommand(): Promise<void> {
  const lists = await withTrustedLists(loadConfig(), (trustedLists) => trustedLists.heldLists());
  if (lists.length === 0) {
    process.stdout.write('No trusted list is held yet: portico trust-lists refresh.\n');
    return;
  }
  for (const list of lists) {
    const due = list.nextUpdate ? `next update ${list.nextUpdate.toISOString()}${list.nextUpdate < new Date() ? ' (overdue)' : ''}` : 'no next update';
    process.stdout.write(`${list.territory}  sequence ${list.sequenceNumber}  ${list.serviceCount} services  imported ${list.importedAt.toISOString()}  ${due}  from ${list.source}\n`);
  }
}
