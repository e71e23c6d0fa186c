import { createHash, randomUUID } from 'node:crypto';
import { REPORTED_CHANGES, type RegisterChange, type RegisterDiff, type RegisterEntity, type RegisterName } from './register-model.ts';
import type { UnitOfWork } from '../../../platform/db/index.ts';
import type { HeldEntity, RegistersRepository, StandingChange } from './registers.repository.port.ts';
import { utcDayOf } from '../../../platform/calendar/index.ts';

export interface RegisterSnapshot {
  readonly register: RegisterName;
  /** Where it was read: a file path or a URL. */
  readonly source: string;
  readonly entities: readonly RegisterEntity[];
}

export interface SynchroniseOptions {
  readonly now?: Date;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

/**
 * Makes the held register what the snapshot says: entities it adds or that changed are written,
 * unchanged ones are left alone, and those it no longer lists are kept as withdrawn (a decision
 * about a TPP must not turn into "unknown" because a register dropped it). Returns and records the
 * difference.
 */
export async function synchroniseRegister(records: RegistersRepository, unitOfWork: UnitOfWork, snapshot: RegisterSnapshot, options: SynchroniseOptions = {}): Promise<RegisterDiff> {
  const startedAt = options.now ?? new Date();
  const { register } = snapshot;
  const held = await records.heldEntities(register);
  // A code listed twice counts once, as its last listing.
  const listed = new Map(snapshot.entities.map((entity) => [entity.entityCode, entity]));
  const diff = new DiffBuilder(register, listed.size);
  const writes: (RegisterEntity & { contentHash: string })[] = [];
  const changes: StandingChange[] = [];
  const change = (kind: 'added' | 'withdrawn' | 'changed', entity: ChangedEntity, authorised: boolean) => {
    diff.note(kind, entity);
    if (kind !== 'added') changes.push({ register, entityCode: entity.entityCode, organizationIdentifier: entity.organizationIdentifier, name: entity.name, change: kind, authorised });
  };
  for (const entity of listed.values()) {
    const contentHash = contentHashOf(entity);
    const before = held.get(entity.entityCode);
    if (before?.contentHash === contentHash) {
      diff.unchanged += 1;
      continue;
    }
    writes.push({ ...entity, contentHash });
    change(!before ? 'added' : before.authorised && !entity.authorised ? 'withdrawn' : 'changed', entity, entity.authorised);
  }
  const unlisted = [...held].filter(([code, entity]) => entity.listed && !listed.has(code));
  for (const [code, entity] of unlisted) change(entity.authorised ? 'withdrawn' : 'changed', { entityCode: code, ...entity }, false);
  const result = diff.build();
  // One transaction: the register is replaced whole, with its record and events, or not at all.
  await unitOfWork.run(async (tx) => {
    const total = writes.length + unlisted.length;
    for (let start = 0; start < writes.length; start += 5000) {
      options.onProgress?.('saving', start, total);
      await records.saveEntities(tx, writes.slice(start, start + 5000), startedAt);
    }
    const withdrawnOn = utcDayOf(startedAt);
    await records.markUnlisted(
      tx,
      register,
      unlisted.map(([code]) => code),
      withdrawnOn,
      startedAt,
    );
    options.onProgress?.('saving', total, total);
    await records.recordSync(tx, { id: randomUUID(), register, source: snapshot.source, startedAt, finishedAt: new Date(), diff: result }, changes);
  });
  return result;
}

type ChangedEntity = Pick<HeldEntity, 'organizationIdentifier' | 'name'> & { readonly entityCode: string };

/** SHA-256 over what a trust decision reads of the entity, in a fixed order. */
export function contentHashOf(entity: RegisterEntity): string {
  const services = Object.keys(entity.services)
    .sort()
    .map((country) => [country, [...entity.services[country]!].sort()]);
  const fields = [entity.organizationIdentifier, entity.name, entity.entityType, entity.homeCountry, entity.authorised, entity.authorisedFrom ?? null, entity.withdrawnOn ?? null, services];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}

class DiffBuilder {
  unchanged = 0;
  private readonly counts = { added: 0, withdrawn: 0, changed: 0 };
  private readonly named: Record<'added' | 'withdrawn' | 'changed', RegisterChange[]> = { added: [], withdrawn: [], changed: [] };

  constructor(
    private readonly register: RegisterName,
    private readonly total: number,
  ) {}

  note(kind: 'added' | 'withdrawn' | 'changed', entity: ChangedEntity): void {
    this.counts[kind] += 1;
    if (this.named[kind].length < REPORTED_CHANGES) this.named[kind].push({ entityCode: entity.entityCode, organizationIdentifier: entity.organizationIdentifier, name: entity.name });
  }

  build(): RegisterDiff {
    return { register: this.register, total: this.total, counts: { ...this.counts, unchanged: this.unchanged }, ...this.named };
  }
}
