import type { Logger } from 'pino';
import { readSecret, type Config } from '../platform/config/index.ts';
import type { HttpsFetch } from '../platform/https-client/index.ts';
import type { RecurringJob } from '../platform/scheduler/index.ts';
import type { Cache } from '../platform/cache/index.ts';
import { downloadCreditInstitutionsRegister, downloadDnbRegister, downloadEbaRegister, fetchFcaFirms, type RegisterDiff, type RegisterName, type RegisterProgress, type RegistersApi, type UnknownEntityLookup } from '../modules/directory/index.ts';

export interface RegisterSyncDeps {
  readonly config: Config;
  readonly registers: RegistersApi;
  /** Outbound HTTPS to the registers (plain HTTP where their configured URL says so). */
  readonly fetch: HttpsFetch;
}

export interface RegisterSyncResult {
  readonly diff: RegisterDiff | undefined;
  /** What the sync could not do or chose not to, in words for the operator. */
  readonly notes: readonly string[];
}

/**
 * Synchronises one configured register from its publisher: the EBA's current file of the PSD2
 * register, the EBA Credit Institutions Register whole from its search, DNB's latest publication of
 * each Wft register named (REGISTER_DNB_REGISTERS) from its API, or the FCA's API for every firm
 * held and the FRNs given (`addFrns`: TPPs to start holding).
 */
export async function synchroniseConfiguredRegister(register: RegisterName, { config, registers, fetch }: RegisterSyncDeps, options: { onProgress?: RegisterProgress; addFrns?: readonly string[] } = {}): Promise<RegisterSyncResult> {
  const { onProgress } = options;
  if (register === 'EBA') {
    const { parsed, source } = await downloadEbaRegister(fetch, config.registers.ebaMetadataUrl, onProgress);
    const diff = await registers.synchronise({ register, source, entities: parsed.entities }, { onProgress });
    return { diff, notes: malformedNotes(parsed.malformed) };
  }
  if (register === 'CIR') {
    const parsed = await downloadCreditInstitutionsRegister(fetch, config.registers.cirUrl, onProgress);
    const diff = await registers.synchronise({ register, source: config.registers.cirUrl, entities: parsed.entities }, { onProgress });
    return { diff, notes: malformedNotes(parsed.malformed) };
  }
  if (register === 'DNB') {
    const dnb = config.registers.dnb;
    if (!dnb) return { diff: undefined, notes: ['the DNB register needs REGISTER_DNB_API_KEY'] };
    const parsed = await downloadDnbRegister({ apiUrl: dnb.apiUrl, key: await readSecret(dnb.key), registerCodes: dnb.registerCodes, fetch }, onProgress);
    const diff = await registers.synchronise({ register, source: `${dnb.apiUrl} ${dnb.registerCodes.join(',')}`, entities: parsed.entities }, { onProgress });
    return { diff, notes: malformedNotes(parsed.malformed) };
  }
  const fca = config.registers.fca;
  if (!fca) return { diff: undefined, notes: ['the FCA register needs REGISTER_FCA_API_EMAIL and REGISTER_FCA_API_KEY'] };
  const frns = [...new Set([...(await registers.heldEntityCodes('FCA')), ...(options.addFrns ?? [])])].sort();
  if (frns.length === 0) return { diff: undefined, notes: ['no FCA firm is held yet: name firms with --frn'] };
  const { entities, notFound } = await fetchFcaFirms({ apiUrl: fca.apiUrl, email: fca.email, key: await readSecret(fca.key), fetch }, frns, onProgress);
  const diff = await registers.synchronise({ register, source: fca.apiUrl, entities }, { onProgress });
  return { diff, notes: notFound.length > 0 ? [`not in the FCA register: ${notFound.join(', ')}`] : [] };
}

function malformedNotes(malformed: readonly string[]): string[] {
  return malformed.length > 0 ? [`${malformed.length} malformed entries skipped, first: ${malformed[0]}`] : [];
}

/** How long an organisation the FCA register did not know is not asked about again. */
const FCA_MISS_SECONDS = 600;
/** UK TPPs' organizationIdentifier: the FCA and the Firm Reference Number. */
const FCA_IDENTIFIER = /^PSDGB-FCA-(\d{1,10})$/;

/**
 * With the FCA register enabled, a UK TPP the held registers do not list yet (PSDGB-FCA-<FRN>) is
 * looked up at the FCA's API when it first presents itself, and held from then on (the scheduled
 * syncs refresh it); an FRN the FCA does not know is not asked about again for ten minutes. A
 * failure leaves the TPP unknown, so refused.
 */
export function fcaLookup({ config, registers, fetch }: RegisterSyncDeps, cache: Cache, logger: Logger): UnknownEntityLookup | undefined {
  const fca = config.registers.fca;
  if (!fca || !config.registers.enabled.includes('FCA')) return undefined;
  return async (organizationIdentifier) => {
    const frn = FCA_IDENTIFIER.exec(organizationIdentifier)?.[1];
    if (!frn) return false;
    const missKey = `registers:fca-miss:${frn}`;
    try {
      if (await cache.get(missKey).catch(() => null)) return false;
      const { entities } = await fetchFcaFirms({ apiUrl: fca.apiUrl, email: fca.email, key: await readSecret(fca.key), fetch }, [frn]);
      if (entities.length === 0) {
        await cache.set(missKey, '1', FCA_MISS_SECONDS).catch(() => undefined);
        return false;
      }
      await registers.holdEntities(entities);
      logger.info({ frn, authorised: entities[0]!.authorised }, 'FCA firm looked up on its first request and held');
      return true;
    } catch (error) {
      logger.warn({ err: error, frn }, 'the FCA register could not be asked about a TPP it does not hold yet; it is refused for now');
      return false;
    }
  };
}

/** One recurring job per enabled register, every REGISTER_SYNC_INTERVAL_HOURS; none when it is 0. */
export function registerSyncJobs(deps: RegisterSyncDeps, logger: Logger): RecurringJob[] {
  const { enabled, syncIntervalHours } = deps.config.registers;
  if (syncIntervalHours === 0) return [];
  return enabled.map((register) => ({
    kind: `registers.sync-${register.toLowerCase()}`,
    everyMs: syncIntervalHours * 3600_000,
    async run() {
      const { diff, notes } = await synchroniseConfiguredRegister(register, deps);
      for (const note of notes) logger.warn({ register }, note);
      if (diff) logger.info({ register, ...diff.counts, withdrawnEntities: diff.withdrawn.map((change) => change.organizationIdentifier) }, `register ${register} synchronised`);
    },
  }));
}
