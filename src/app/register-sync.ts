import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Config, SecretSource } from '../platform/config/index.ts';
import type { HttpsFetch } from '../platform/https-client/index.ts';
import type { RecurringJob } from '../platform/scheduler/index.ts';
import { downloadEbaRegister, fetchFcaFirms, type RegisterDiff, type RegisterName, type RegisterProgress, type RegistersApi } from '../modules/directory/index.ts';

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

const secretOf = async (source: SecretSource) => ('value' in source ? source.value : (await readFile(source.file, 'utf8')).trim());

/**
 * Synchronises one configured register from its publisher: the EBA's current file, or the FCA's
 * API for every firm held and the FRNs given (`addFrns`: TPPs to start holding).
 */
export async function synchroniseConfiguredRegister(register: RegisterName, { config, registers, fetch }: RegisterSyncDeps, options: { onProgress?: RegisterProgress; addFrns?: readonly string[] } = {}): Promise<RegisterSyncResult> {
  const { onProgress } = options;
  if (register === 'EBA') {
    const { parsed, source } = await downloadEbaRegister(fetch, config.registers.ebaMetadataUrl, onProgress);
    const diff = await registers.synchronise({ register, source, entities: parsed.entities }, { onProgress });
    return { diff, notes: parsed.malformed.length > 0 ? [`${parsed.malformed.length} malformed entries skipped, first: ${parsed.malformed[0]}`] : [] };
  }
  const fca = config.registers.fca;
  if (!fca) return { diff: undefined, notes: ['the FCA register needs REGISTER_FCA_API_EMAIL and REGISTER_FCA_API_KEY'] };
  const frns = [...new Set([...(await registers.heldEntityCodes('FCA')), ...(options.addFrns ?? [])])].sort();
  if (frns.length === 0) return { diff: undefined, notes: ['no FCA firm is held yet: name firms with --frn'] };
  const { entities, notFound } = await fetchFcaFirms({ apiUrl: fca.apiUrl, email: fca.email, key: await secretOf(fca.key), fetch }, frns, onProgress);
  const diff = await registers.synchronise({ register, source: fca.apiUrl, entities }, { onProgress });
  return { diff, notes: notFound.length > 0 ? [`not in the FCA register: ${notFound.join(', ')}`] : [] };
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
