import type { TxContext } from '../../../platform/db/index.ts';
import type { RegisterDiff, RegisterEntity, RegisterName } from './register-model.ts';

/** What a synchronisation needs to know of an entity already held. */
export interface HeldEntity {
  readonly contentHash: string;
  readonly authorised: boolean;
  readonly listed: boolean;
  readonly organizationIdentifier: string;
  readonly name: string;
}

/** An entity as held, with whether the register still lists it. */
export interface StoredRegisterEntity extends RegisterEntity {
  readonly listed: boolean;
  readonly updatedAt: Date;
}

export interface RegisterSyncRecord {
  readonly id: string;
  readonly register: RegisterName;
  /** Where the entities came from: a file path or a URL. */
  readonly source: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly diff: RegisterDiff;
}

/** A change trust decisions see, recorded as an event with the synchronisation. */
export interface StandingChange {
  readonly register: RegisterName;
  readonly entityCode: string;
  readonly organizationIdentifier: string;
  readonly name: string;
  readonly change: 'withdrawn' | 'changed';
  readonly authorised: boolean;
}

/**
 * What the registers need from storage. The writes of one synchronisation run in one transaction
 * (`tx`): a register is replaced whole or not at all, with its events.
 */
export interface RegistersRepository {
  /** Every entity of the register held now, by entity code. */
  heldEntities(register: RegisterName): Promise<Map<string, HeldEntity>>;
  /** Inserts or replaces these entities, as listed now. */
  saveEntities(tx: TxContext, entities: readonly (RegisterEntity & { readonly contentHash: string })[], now: Date): Promise<void>;
  /** Marks entities the register no longer lists: not listed, not authorised. */
  markUnlisted(tx: TxContext, register: RegisterName, entityCodes: readonly string[], withdrawnOn: string, now: Date): Promise<void>;
  /** The synchronisation's record, and an event for each change decisions see. */
  recordSync(tx: TxContext, sync: RegisterSyncRecord, changes: readonly StandingChange[]): Promise<void>;
  /** Every register's entry for the organizationIdentifier (one per register at most, usually). */
  entitiesByIdentifier(organizationIdentifier: string): Promise<StoredRegisterEntity[]>;
  /** The latest synchronisations, newest first. */
  latestSyncs(limit: number): Promise<RegisterSyncRecord[]>;
}
