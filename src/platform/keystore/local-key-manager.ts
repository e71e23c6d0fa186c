import { createPrivateKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { CreatedSigningKey, KeyManager, StoredSigningKey } from './key-manager.ts';
import type { JwsAlg } from './jws-signing-keys.ts';
import { signWithKeyObject } from './jws-signing-keys.ts';
import { isSealed, type KeySealer } from './key-sealer.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** What a sealed key is bound to: the row that keeps it. */
const contextOf = (owner: string, kid: string) => `${owner}:${kid}`;

/**
 * The local keystore: private keys generated in this process and stored in the database as JWKs
 * sealed under the key-encryption key (KeySealer), opened in memory to sign. Without a sealer the
 * keys are stored in the clear (tests of other parts only; the platform always has one). Keys that
 * were stored in the clear before the keystore sealed them still open, and `updatedReference`
 * seals them (and keys sealed under an older key-encryption key) again.
 */
export class LocalKeyManager implements KeyManager {
  readonly type = 'local' as const;
  private readonly opened = new Map<string, { readonly reference: unknown; readonly key: KeyObject }>();

  constructor(private readonly sealer: KeySealer | undefined) {}

  async createSigningKey(alg: JwsAlg, owner: string): Promise<CreatedSigningKey> {
    // RSA 2048 is the OB Security Profile's minimum for PS256; ES256 is P-256 by definition.
    const { privateKey, publicKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const metadata = { kid, alg, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), ...metadata };
    return { publicJwk: { ...publicJwk, ...metadata }, reference: this.stored(privateJwk, owner, kid) };
  }

  async sign(key: StoredSigningKey, signingInput: Uint8Array): Promise<Uint8Array> {
    return signWithKeyObject(this.privateKeyOf(key), key.alg, signingInput);
  }

  owns(reference: unknown): boolean {
    return isSealed(reference) || (typeof reference === 'object' && reference !== null && typeof (reference as JWK).d === 'string');
  }

  updatedReference(key: StoredSigningKey): unknown {
    if (!this.sealer || !this.sealer.needsResealing(key.reference)) return undefined;
    return this.stored(this.privateJwkOf(key), key.owner, key.kid);
  }

  async close(): Promise<void> {
    this.opened.clear();
  }

  /** The private JWK in the clear: opened when sealed (which needs the sealer). */
  privateJwkOf(key: StoredSigningKey): JWK {
    if (!isSealed(key.reference)) return key.reference as JWK;
    if (!this.sealer) throw new Error(`the signing key ${key.kid} is sealed and no key-encryption key is configured (KEY_ENCRYPTION_KEYS)`);
    return JSON.parse(this.sealer.open(key.reference, contextOf(key.owner, key.kid))) as JWK;
  }

  private privateKeyOf(key: StoredSigningKey): KeyObject {
    const cached = this.opened.get(key.kid);
    if (cached && cached.reference === key.reference) return cached.key;
    const jwk = this.privateJwkOf(key);
    if (!PRIVATE_MEMBERS.some((member) => typeof jwk[member] === 'string')) throw new Error(`the signing key ${key.kid} has no private part`);
    const opened = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    this.opened.set(key.kid, { reference: key.reference, key: opened });
    return opened;
  }

  private stored(privateJwk: JWK, owner: string, kid: string): unknown {
    return this.sealer ? this.sealer.seal(JSON.stringify(privateJwk), contextOf(owner, kid)) : privateJwk;
  }
}
