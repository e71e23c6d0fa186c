import { sql, type Kysely } from 'kysely';
import { errors, type Adapter, type AdapterFactory, type AdapterPayload } from 'oidc-provider';
import { ownTables, type Db } from '../platform/db/index.ts';
import type { AuthTables } from './infra/auth.tables.ts';
import { findUnstorableText, isStorableText } from '../platform/http/index.ts';

export interface OidcAdapterOptions {
  /** The clock expiry is judged by (tests move it). */
  readonly now?: () => Date;
  /**
   * Called after rows stop being usable (destroyed, consumed, revoked with their grant), with the
   * model kind and their ids, so caches in front of this storage (the resource side's access-token
   * verifier) drop them on every instance. A failure propagates: oidc-provider then reports an
   * error instead of a revocation that silently lags.
   */
  readonly onInvalidated?: (kind: string, ids: readonly string[]) => Promise<void>;
  /**
   * Called after a row is stored, with the model kind, its id, payload and expiry, so a cache in
   * front of this storage can hold it before its first use (the access-token verifier). Must not
   * fail the store: the cache is only ever a shortcut.
   */
  readonly onSaved?: (kind: string, id: string, payload: AdapterPayload, expiresAt: Date | null) => Promise<void>;
}

/**
 * oidc-provider's storage (its "Adapter" interface, see node-oidc-provider example/my_adapter.js)
 * in the platform database, so that tokens, codes, grants and sessions survive restarts and are
 * shared by every instance behind the load balancer (DESIGN.md §1). One instance per model kind.
 *
 * Expired rows are treated as absent on every read; `deleteExpiredOidcPayloads` removes them later.
 */
export class OidcAdapter implements Adapter {
  private readonly db: Kysely<AuthTables>;
  private readonly now: () => Date;
  private readonly onInvalidated: (kind: string, ids: readonly string[]) => Promise<void>;
  private readonly onSaved: NonNullable<OidcAdapterOptions['onSaved']>;

  constructor(
    database: Db,
    readonly kind: string,
    options: OidcAdapterOptions = {},
  ) {
    this.db = ownTables<AuthTables>(database);
    this.now = options.now ?? (() => new Date());
    this.onInvalidated = options.onInvalidated ?? (async () => undefined);
    this.onSaved = options.onSaved ?? (async () => undefined);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const now = this.now();
    const expiresAt = typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : null;
    // Request parameters end up in payloads (state, nonce, claims…): text the database cannot hold
    // (NUL, unpaired surrogates) is the client's error (invalid_request), not a server_error.
    if (findUnstorableText(payload, '') !== undefined) {
      throw new errors.InvalidRequest('request parameters contain text that cannot be stored (NUL or unpaired surrogates)');
    }
    await this.db
      .insertInto('oidc_payloads')
      .values({
        id,
        kind: this.kind,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresAt,
        consumed_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['kind', 'id']).doUpdateSet({
          payload: (eb) => eb.ref('excluded.payload'),
          grant_id: (eb) => eb.ref('excluded.grant_id'),
          user_code: (eb) => eb.ref('excluded.user_code'),
          uid: (eb) => eb.ref('excluded.uid'),
          expires_at: (eb) => eb.ref('excluded.expires_at'),
          // Re-saving a consumed artefact must not make it usable again (one-time use of codes,
          // RFC 6749 §4.1.2); only a row that had already expired starts afresh.
          consumed_at: sql`CASE WHEN oidc_payloads.expires_at <= ${now} THEN NULL ELSE oidc_payloads.consumed_at END`,
        }),
      )
      .execute();
    await this.onSaved(this.kind, id, payload, expiresAt);
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db
      .updateTable('oidc_payloads')
      .set({ consumed_at: this.now() })
      .where('kind', '=', this.kind)
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .execute();
    await this.onInvalidated(this.kind, [id]);
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom('oidc_payloads').where('kind', '=', this.kind).where('id', '=', id).execute();
    await this.onInvalidated(this.kind, [id]);
  }

  /** Called once per grant-bound model kind (AccessToken, RefreshToken, AuthorizationCode, …). */
  async revokeByGrantId(grantId: string): Promise<void> {
    const removed = await this.db
      .deleteFrom('oidc_payloads')
      .where('kind', '=', this.kind)
      .where('grant_id', '=', grantId)
      .returning('id')
      .execute();
    await this.onInvalidated(this.kind, removed.map((row) => row.id));
  }

  private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    // An id from a request (client_id, request_uri, a cookie) that no row can hold names no row.
    if (!isStorableText(value)) return undefined;
    const now = this.now();
    const row = await this.db
      .selectFrom('oidc_payloads')
      .select(['payload', 'consumed_at'])
      .where('kind', '=', this.kind)
      .where(column, '=', value)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    const payload = row.payload as AdapterPayload;
    // oidc-provider reads `consumed` as a truthy marker; it is an epoch timestamp as in its own adapter.
    return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
  }
}

/** The `adapter` option for oidc-provider: one OidcAdapter per model kind, all on the same table. */
export function createOidcAdapter(db: Db, options: OidcAdapterOptions = {}): AdapterFactory {
  return (kind: string) => new OidcAdapter(db, kind, options);
}
