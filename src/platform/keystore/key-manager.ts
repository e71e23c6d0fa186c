import type { JWK } from 'jose';
import type { JwsAlg } from './jws-signing-keys.ts';

/**
 * A private signing key as Portico stores it: its `kid`, its algorithm and a reference the key
 * manager that made it understands — the sealed key itself for the local keystore, a key id for an
 * HSM, a key name and version for Vault. `owner` is the table that keeps it: what a sealed key is
 * bound to, with the kid, so that it does not open anywhere else.
 */
export interface StoredSigningKey {
  readonly kid: string;
  readonly alg: JwsAlg;
  readonly owner: string;
  readonly reference: unknown;
}

export interface CreatedSigningKey {
  /** The public key, with `kid` (its RFC 7638 thumbprint), `alg` and `use: sig`. */
  readonly publicJwk: JWK;
  readonly reference: unknown;
}

/**
 * The key-management port: every private key Portico signs with is made and used through it, so
 * that where keys live is a deployment choice — `local` (sealed in the database under a
 * key-encryption key), `pkcs11` (an HSM; keys never leave it) or `vault` (HashiCorp Vault's transit
 * engine). Decision 0012d.
 */
export interface KeyManager {
  readonly type: 'local' | 'pkcs11' | 'vault';
  /** A new key pair of `alg` for `owner`; the private part stays with the manager. */
  createSigningKey(alg: JwsAlg, owner: string): Promise<CreatedSigningKey>;
  /** The JWS signature (R‖S for ES256) of `signingInput` with a key this manager made. */
  sign(key: StoredSigningKey, signingInput: Uint8Array): Promise<Uint8Array>;
  /** Whether this manager made (and can use) a stored reference. */
  owns(reference: unknown): boolean;
  /** A reference to store instead of the one given (sealed again under a newer key), or undefined. */
  updatedReference?(key: StoredSigningKey): unknown;
  close(): Promise<void>;
}
