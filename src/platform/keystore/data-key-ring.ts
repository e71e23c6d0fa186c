import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/index.ts';
import type { DataEncryptionKeysTable } from '../db/schema.ts';
import { isSealed, type KeySealer } from './key-sealer.ts';
import { PeriodicRefresh } from './periodic-refresh.ts';

type Tables = { data_encryption_keys: DataEncryptionKeysTable };

/** What a sealed data key is bound to: its row. */
const contextOf = (id: string) => `data_encryption_keys:${id}`;

export interface DataKeyRotation {
  readonly created: string;
  readonly retired: string[];
}

/**
 * The data-encryption keys of one purpose (envelope encryption): AES-256 keys kept in
 * `data_encryption_keys` sealed under the key-encryption key (KeySealer), opened in memory. One is
 * active and encrypts; every key still in the table decrypts. Made on first start (safely when
 * instances start together), sealed again under a new key-encryption key at start, reloaded on a
 * key id it does not know — which is how a rotation by another process reaches this one.
 */
export class DataKeyRing {
  private keys = new Map<string, Buffer>();
  private activeId = '';
  private readonly refresher = new PeriodicRefresh(() => this.refresh());

  private constructor(
    private readonly db: Kysely<Tables>,
    private readonly sealer: KeySealer,
    readonly purpose: string,
  ) {}

  static async load(database: Db, sealer: KeySealer, purpose: string): Promise<DataKeyRing> {
    const ring = new DataKeyRing(database as unknown as Kysely<Tables>, sealer, purpose);
    await ring.db
      .insertInto('data_encryption_keys')
      .values(newKeyRow(sealer, purpose))
      .onConflict((oc) => oc.column('purpose').where('status', '=', 'active').doNothing())
      .execute();
    await ring.reseal(await ring.readKeys());
    return ring;
  }

  /** Makes a new active key; the active one is retired (it still decrypts until it is dropped). */
  static async rotate(database: Db, sealer: KeySealer, purpose: string): Promise<DataKeyRotation> {
    const db = database as unknown as Kysely<Tables>;
    return db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('data_encryption_keys'))`.execute(trx);
      const retired = await trx
        .updateTable('data_encryption_keys')
        .set({ status: 'retired', retired_at: new Date() })
        .where('purpose', '=', purpose)
        .where('status', '=', 'active')
        .returning('id')
        .execute();
      const row = newKeyRow(sealer, purpose);
      await trx.insertInto('data_encryption_keys').values(row).execute();
      return { created: row.id, retired: retired.map((r) => r.id) };
    });
  }

  /** Deletes a retired key: only once no value is encrypted under it any more. */
  static async drop(database: Db, id: string): Promise<void> {
    await (database as unknown as Kysely<Tables>).deleteFrom('data_encryption_keys').where('id', '=', id).where('status', '=', 'retired').execute();
  }

  /** The key that encrypts now. */
  get active(): { readonly id: string; readonly key: Buffer } {
    return { id: this.activeId, key: this.keys.get(this.activeId)! };
  }

  /** The key of an id, reloading the ring once if it is not known here (a rotation elsewhere). */
  async keyOf(id: string): Promise<Buffer> {
    if (!this.keys.has(id)) await this.refresh();
    const key = this.keys.get(id);
    if (!key) throw new Error(`the data-encryption key ${id} (${this.purpose}) is not in the database`);
    return key;
  }

  /** The key of an id this ring holds; throws when it holds none (`keyOf` reloads first). */
  heldKey(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new Error(`the data-encryption key ${id} (${this.purpose}) is not loaded`);
    return key;
  }

  /** The ids of the retired keys, still decrypting. */
  get retiredIds(): string[] {
    return [...this.keys.keys()].filter((id) => id !== this.activeId);
  }

  async refresh(): Promise<void> {
    await this.readKeys();
  }

  /** Reads and opens the keys of this purpose; the rows as stored. */
  private async readKeys(): Promise<ReadonlyArray<{ readonly id: string; readonly sealed: unknown }>> {
    const rows = await this.db.selectFrom('data_encryption_keys').select(['id', 'sealed', 'status']).where('purpose', '=', this.purpose).execute();
    const keys = new Map<string, Buffer>();
    let activeId = '';
    for (const row of rows) {
      if (!isSealed(row.sealed)) throw new Error(`the data-encryption key ${row.id} is not sealed`);
      keys.set(row.id, Buffer.from(this.sealer.open(row.sealed, contextOf(row.id)), 'base64'));
      if (row.status === 'active') activeId = row.id;
    }
    if (!activeId) throw new Error(`no active data-encryption key for ${this.purpose}`);
    this.keys = keys;
    this.activeId = activeId;
    return rows;
  }

  /** Reloads every `seconds`, so that a rotation elsewhere moves new values to the new key here too. */
  startRefreshing(seconds: number, onError: (error: unknown) => void): void {
    this.refresher.start(seconds, onError);
  }

  stopRefreshing(): void {
    this.refresher.stop();
  }

  /** Seals every key again under the current key-encryption key where an older one sealed it. */
  private async reseal(rows: ReadonlyArray<{ readonly id: string; readonly sealed: unknown }>): Promise<void> {
    for (const row of rows) {
      if (!this.sealer.needsResealing(row.sealed)) continue;
      const sealed = this.sealer.seal(this.keys.get(row.id)!.toString('base64'), contextOf(row.id));
      await this.db.updateTable('data_encryption_keys').set({ sealed: JSON.stringify(sealed) }).where('id', '=', row.id).execute();
    }
  }
}

function newKeyRow(sealer: KeySealer, purpose: string) {
  const id = randomUUID();
  return {
    id,
    purpose,
    sealed: JSON.stringify(sealer.seal(randomBytes(32).toString('base64'), contextOf(id))),
    status: 'active' as const,
    created_at: new Date(),
    retired_at: null,
  };
}
