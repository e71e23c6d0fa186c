import { sql } from 'kysely';
import type { JWK } from 'jose';
import { ownTables, type Db } from '../platform/db/index.ts';
import { PeriodicRefresh, type JwsAlg, type JwsSigningKeys, type KeyManager, type StoredSigningKey } from '../platform/keystore/index.ts';
import type { AuthTables, SigningKeyAlg } from './infra/auth.tables.ts';
import { SIGNING_ALGS, SIGNING_KEY_OWNER } from './signing-keys.ts';

interface RingKey extends StoredSigningKey {
  readonly alg: SigningKeyAlg;
  readonly publicJwk: JWK;
  /** When it signs from. */
  readonly activatesAt: number;
  /** When it leaves the JWKS; undefined: not retired. */
  readonly expiresAt: number | undefined;
}

export interface SigningKeyRingOptions {
  /**
   * The key managers that made the keys, the configured one first; the local keystore is kept
   * after it so that keys made before a switch to an HSM or Vault sign until their successors do.
   */
  readonly managers: readonly KeyManager[];
  readonly now?: () => Date;
}

/**
 * The bank's signing keys as this instance holds them: every published key (active, about to
 * sign, or retired in its grace period), reloaded from `auth_signing_keys` every few seconds
 * (`startRefreshing`) so that a rotation reaches every instance without a restart. Which key signs
 * is decided at each signature from the keys' activation times, so instances switch together
 * even between reloads. The private keys stay with their key manager; the ring only names them.
 */
export class SigningKeyRing implements JwsSigningKeys {
  private keys: readonly RingKey[] = [];
  private readonly refresher = new PeriodicRefresh(() => this.refresh());
  private readonly now: () => Date;

  private constructor(
    private readonly database: Db,
    private readonly options: SigningKeyRingOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  static async load(database: Db, options: SigningKeyRingOptions): Promise<SigningKeyRing> {
    if (options.managers.length === 0) throw new Error('a signing key ring needs a key manager');
    const ring = new SigningKeyRing(database, options);
    await ring.refresh();
    return ring;
  }

  /** Reloads the published keys; throws (keeping the keys it had) when the database cannot be read. */
  async refresh(): Promise<void> {
    const db = ownTables<AuthTables>(this.database);
    const rows = await db
      .selectFrom('auth_signing_keys')
      .select(['kid', 'alg', 'private_jwk', 'public_jwk', 'status', 'created_at', 'activates_at', 'expires_at'])
      .where((eb) => eb.or([eb('status', '=', 'active'), eb('expires_at', '>', this.now())]))
      .orderBy(sql`coalesce(activates_at, created_at)`, 'desc')
      .orderBy('kid')
      .execute();
    const keys = rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      owner: SIGNING_KEY_OWNER,
      reference: row.private_jwk,
      publicJwk: row.public_jwk as JWK,
      activatesAt: new Date(row.activates_at ?? row.created_at).getTime(),
      expiresAt: row.expires_at === null ? undefined : new Date(row.expires_at).getTime(),
    }));
    for (const alg of SIGNING_ALGS) {
      if (!keys.some((key) => key.alg === alg && key.activatesAt <= this.now().getTime())) {
        throw new Error(`no ${alg} signing key for the authorisation server (run ensureSigningKeys first)`);
      }
    }
    this.keys = keys;
  }

  /** Reloads every `seconds`; a failed reload is reported and the keys held are kept. */
  startRefreshing(seconds: number, onError: (error: unknown) => void): void {
    this.refresher.start(seconds, onError);
  }

  stopRefreshing(): void {
    this.refresher.stop();
  }

  /** The key of `alg` that signs now: of the keys already active, the one activated last. */
  signingKey(alg: JwsAlg): RingKey {
    const now = this.now().getTime();
    // Ordered by activation, newest first.
    const key = this.keys.find((candidate) => candidate.alg === alg && candidate.activatesAt <= now && (candidate.expiresAt === undefined || candidate.expiresAt > now));
    if (!key) throw new Error(`no ${alg} signing key is active`);
    return key;
  }

  signingKid(alg: JwsAlg): string {
    return this.signingKey(alg).kid;
  }

  async sign(kid: string, alg: JwsAlg, signingInput: Uint8Array): Promise<Uint8Array> {
    const key = this.keys.find((candidate) => candidate.kid === kid);
    if (!key || key.alg !== alg) throw new Error(`the signing key ${kid} (${alg}) is not in the ring`);
    const manager = this.options.managers.find((candidate) => candidate.owns(key.reference));
    if (!manager) throw new Error(`no configured key manager holds the signing key ${kid} (KEY_MANAGER)`);
    return manager.sign(key, signingInput);
  }

  /**
   * The public keys to publish at the `jwks_uri`: the signing keys first, then those about to sign
   * and those retired in their grace period — every key a TPP may meet a signature of.
   */
  publicJwks(): { keys: JWK[] } {
    const now = this.now().getTime();
    const published = this.keys.filter((key) => key.expiresAt === undefined || key.expiresAt > now);
    const signing = new Set(SIGNING_ALGS.map((alg) => this.signingKid(alg)));
    const ordered = [...published.filter((key) => signing.has(key.kid)), ...published.filter((key) => !signing.has(key.kid))];
    return { keys: ordered.map((key) => key.publicJwk) };
  }
}
