import type { Logger } from 'pino';
import type { Config } from '../platform/config/index.ts';
import type { HttpsFetch } from '../platform/https-client/index.ts';
import type { RegistersApi, TrustedListsApi } from '../modules/directory/index.ts';
import { synchroniseConfiguredRegister } from './register-sync.ts';
import { refreshTrustedLists } from './trusted-lists-refresh.ts';

/**
 * On a worker's start, the trusted lists (eIDAS) and each enabled register that the database
 * does not hold yet, fetched at once rather than at the first scheduled run: until then every TPP
 * would be refused. Failures are logged; the scheduled runs try again.
 */
export async function loadTrustDataIfNone(deps: { config: Config; trustedLists: TrustedListsApi; registers: RegistersApi; fetch: HttpsFetch }, logger: Logger): Promise<void> {
  const { config, trustedLists, registers, fetch } = deps;
  try {
    if (config.trust.eidas && (await trustedLists.heldLists()).length === 0) {
      const outcomes = await refreshTrustedLists({ config, trustedLists, fetch });
      logger.info({ outcomes }, 'trusted lists loaded on first start');
    }
    const synchronised = new Set((await registers.latestSyncs(100)).map((sync) => sync.register));
    for (const register of config.registers.enabled.filter((name) => !synchronised.has(name))) {
      const { diff, notes } = await synchroniseConfiguredRegister(register, { config, registers, fetch });
      for (const note of notes) logger.warn({ register }, note);
      if (diff) logger.info({ register, ...diff.counts }, `register ${register} loaded on first start`);
    }
  } catch (error) {
    logger.error({ err: error }, 'trust data could not be loaded on start; the scheduled refresh tries again (portico trust-lists refresh, portico registers sync)');
  }
}
