import type { Logger } from 'pino';
import type { Config } from '../platform/config/index.ts';
import type { HttpsFetch } from '../platform/https-client/index.ts';
import type { RecurringJob } from '../platform/scheduler/index.ts';
import { readPemCertificates } from '../platform/tls/index.ts';
import { fileTrustedListSource, httpTrustedListSource, type TrustedListOutcome, type TrustedListsApi } from '../modules/directory/index.ts';

export interface TrustedListsRefreshDeps {
  readonly config: Config;
  readonly trustedLists: TrustedListsApi;
  readonly fetch: HttpsFetch;
}

/**
 * The eIDAS adapter's trusted lists made current: the configured CA set (the UK's), then the EU
 * List of Trusted Lists and its national lists — from TRUSTED_LISTS_LOTL_URL, or from files (`from`:
 * the LOTL file and the folder of national lists) for a bank without access to them.
 */
export async function refreshTrustedLists(
  { config, trustedLists, fetch }: TrustedListsRefreshDeps,
  options: { from?: { lotlFile: string; directory: string }; onProgress?: (phase: string, done: number, total: number) => void } = {},
): Promise<TrustedListOutcome[]> {
  const eidas = config.trust.eidas;
  if (!eidas) throw new Error('trusted lists are held for the eIDAS adapter: set DIRECTORY to name eidas');
  const outcomes: TrustedListOutcome[] = [];
  if (eidas.caSet) outcomes.push(await trustedLists.importCaSet(eidas.caSet.territory, await readPemCertificates({ file: eidas.caSet.file }), eidas.caSet.file));
  if (eidas.lotlSignersFile) {
    const signers = await readPemCertificates({ file: eidas.lotlSignersFile });
    const source = options.from ? fileTrustedListSource(options.from.lotlFile, options.from.directory) : httpTrustedListSource(fetch, eidas.lotlUrl);
    outcomes.push(...(await trustedLists.importLists(source, signers, { onProgress: options.onProgress })));
  }
  return outcomes;
}

/** The refresh as a recurring job, every TRUSTED_LISTS_REFRESH_HOURS (none when 0 or without eIDAS). */
export function trustedListRefreshJobs(deps: TrustedListsRefreshDeps, logger: Logger): RecurringJob[] {
  const eidas = deps.config.trust.eidas;
  if (!eidas || eidas.refreshHours === 0) return [];
  return [
    {
      kind: 'trusted-lists.refresh',
      everyMs: eidas.refreshHours * 3600_000,
      async run() {
        for (const outcome of await refreshTrustedLists(deps)) {
          if (outcome.outcome === 'refused' || outcome.outcome === 'unavailable') logger.warn(outcome, `trusted list ${outcome.territory} ${outcome.outcome}`);
          else logger.info(outcome, `trusted list ${outcome.territory} ${outcome.outcome}`);
        }
      },
    },
  ];
}
