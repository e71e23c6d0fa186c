import type { Cache } from '../../../platform/cache/index.ts';
import { createUnitOfWork, type Db } from '../../../platform/db/index.ts';
import { forgetDirectoryVerdicts } from '../directory-verdicts.ts';
import { createKyselyRegistersRepository } from '../infra/kysely-registers-repository.ts';
import type { TppDirectory } from '../tpp-directory.port.ts';
import type { RegisterDiff, RegisterEntity, RegisterName } from './register-model.ts';
import { standingIn, type RegisterStanding } from './register-standing.ts';
import type { RegisterSyncRecord } from './registers.repository.port.ts';
import { contentHashOf, synchroniseRegister, type RegisterSnapshot, type SynchroniseOptions } from './synchronise-register.ts';
import { withRegisterChecks, type UnknownEntityLookup } from './with-register-checks.ts';

/** The competent authorities' registers as Portico holds them, and the decisions made from them. */
export interface RegistersApi {
  /**
   * Makes the held register what the snapshot says, in one transaction with an event per
   * withdrawal or change; every instance's remembered verdicts are then retired, so a withdrawn
   * TPP is refused on its next call.
   */
  synchronise(snapshot: RegisterSnapshot, options?: SynchroniseOptions): Promise<RegisterDiff>;
  /** The entity codes held for a register, listed or not (the FCA's are refreshed by FRN). */
  heldEntityCodes(register: RegisterName): Promise<string[]>;
  /** What the registers say of an organisation acting in `country` (ISO 3166-1 alpha-2). */
  standing(organizationIdentifier: string, country: string): Promise<RegisterStanding>;
  latestSyncs(limit?: number): Promise<RegisterSyncRecord[]>;
  /**
   * Holds entities a register answered about one by one (the FCA's API), without touching the
   * others; an entity already held is replaced.
   */
  holdEntities(entities: readonly RegisterEntity[]): Promise<void>;
  /** `directory` with the registers consulted after it, for a bank in `country`; `lookUpUnknown` asks a register about an organisation none holds. */
  withRegisterChecks(directory: TppDirectory, country: string, lookUpUnknown?: UnknownEntityLookup): TppDirectory;
}

export function createRegistersModule({ db, cache }: { readonly db: Db; readonly cache: Cache }): RegistersApi {
  const records = createKyselyRegistersRepository(db);
  const unitOfWork = createUnitOfWork(db);
  return {
    async synchronise(snapshot, options) {
      const diff = await synchroniseRegister(records, unitOfWork, snapshot, options);
      if (diff.counts.withdrawn + diff.counts.changed > 0) await forgetDirectoryVerdicts(cache);
      return diff;
    },
    heldEntityCodes: async (register) => [...(await records.heldEntities(register)).keys()],
    standing: async (organizationIdentifier, country) => standingIn(await records.entitiesByIdentifier(organizationIdentifier), country.toUpperCase()),
    latestSyncs: (limit = 20) => records.latestSyncs(limit),
    holdEntities: (entities) => unitOfWork.run((tx) => records.saveEntities(tx, entities.map((entity) => ({ ...entity, contentHash: contentHashOf(entity) })), new Date())),
    withRegisterChecks: (directory, country, lookUpUnknown) => withRegisterChecks(directory, records, country.toUpperCase(), lookUpUnknown),
  };
}
