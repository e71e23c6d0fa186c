import { createHash, createPublicKey, randomBytes, type JsonWebKey } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type * as Pkcs11Module from 'pkcs11js';
import type { CreatedSigningKey, KeyManager, StoredSigningKey } from './key-manager.ts';
import type { JwsAlg } from './jws-signing-keys.ts';

export interface Pkcs11Options {
  /** The vendor's PKCS#11 module (a shared library), e.g. /usr/lib/softhsm/libsofthsm2.so. */
  readonly library: string;
  /** The label of the token (HSM partition) the keys live on. */
  readonly tokenLabel: string;
  /** The user PIN of that token; a secret. */
  readonly pin: string;
}

/** What Portico stores for a key in an HSM: its CKA_ID (hex); the private key never leaves the token. */
interface Pkcs11Reference {
  readonly type: 'pkcs11';
  readonly id: string;
}

const isPkcs11Reference = (value: unknown): value is Pkcs11Reference =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'pkcs11' && typeof (value as { id?: unknown }).id === 'string';

/** The DER of the P-256 curve's OID (1.2.840.10045.3.1.7), the CKA_EC_PARAMS of an ES256 key. */
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

async function loadPkcs11js(): Promise<typeof Pkcs11Module> {
  try {
    const module = (await import('pkcs11js')) as unknown as { default?: typeof Pkcs11Module };
    return module.default ?? (module as unknown as typeof Pkcs11Module);
  } catch (error) {
    throw new Error('KEY_MANAGER=pkcs11 needs the optional dependency pkcs11js, a native module built at install (npm install pkcs11js)', { cause: error });
  }
}

/**
 * A PKCS#11 module is initialised once per process: every manager on the same library shares it,
 * and the last one to close finalises it.
 */
const modules = new Map<string, { readonly module: Pkcs11Module.PKCS11; users: number }>();

function acquireModule(pkcs11js: typeof Pkcs11Module, library: string): Pkcs11Module.PKCS11 {
  const shared = modules.get(library);
  if (shared) {
    shared.users += 1;
    return shared.module;
  }
  const module = new pkcs11js.PKCS11();
  module.load(library);
  module.C_Initialize();
  modules.set(library, { module, users: 1 });
  return module;
}

function releaseModule(library: string): void {
  const shared = modules.get(library);
  if (!shared) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  modules.delete(library);
  shared.module.C_Finalize();
}

/** The uncompressed EC point inside CKA_EC_POINT, which tokens return DER-wrapped (an OCTET STRING) or bare. */
function ecPointOf(value: Buffer): Buffer {
  if (value[0] === 0x04 && value[1] === value.length - 2 && value[2] === 0x04) return value.subarray(2);
  return value;
}

/**
 * Keys in a hardware security module over PKCS#11: generated on the token as sensitive,
 * non-extractable key pairs, used with C_Sign (RSASSA-PSS SHA-256 for PS256; ECDSA over a SHA-256
 * digest for ES256, which answers R‖S as JWS wants it). One logged-in session per process; its
 * operations are queued, since a session runs one at a time. Tested against SoftHSM2.
 */
export class Pkcs11KeyManager implements KeyManager {
  readonly type = 'pkcs11' as const;
  private readonly handles = new Map<string, Buffer>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly pkcs11js: typeof Pkcs11Module,
    private readonly module: Pkcs11Module.PKCS11,
    private readonly session: Buffer,
    private readonly library: string,
  ) {}

  static async open(options: Pkcs11Options): Promise<Pkcs11KeyManager> {
    const pkcs11js = await loadPkcs11js();
    const module = acquireModule(pkcs11js, options.library);
    let session: Buffer | undefined;
    try {
      const slot = module.C_GetSlotList(true).find((candidate) => module.C_GetTokenInfo(candidate).label.trim() === options.tokenLabel);
      if (!slot) throw new Error(`no PKCS#11 token labelled "${options.tokenLabel}" in ${options.library} (PKCS11_TOKEN_LABEL)`);
      session = module.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      try {
        module.C_Login(session, pkcs11js.CKU_USER, options.pin);
      } catch (error) {
        // The login state is the application's, shared by its sessions: another manager of this process logged in.
        if (!(error instanceof Error && error.message.includes('CKR_USER_ALREADY_LOGGED_IN'))) throw error;
      }
      return new Pkcs11KeyManager(pkcs11js, module, session, options.library);
    } catch (error) {
      if (session) module.C_CloseSession(session);
      releaseModule(options.library);
      throw error;
    }
  }

  createSigningKey(alg: JwsAlg, owner: string): Promise<CreatedSigningKey> {
    return this.serially(async () => {
      const p = this.pkcs11js;
      const id = randomBytes(16);
      const common = [
        { type: p.CKA_TOKEN, value: true },
        { type: p.CKA_ID, value: id },
        { type: p.CKA_LABEL, value: `portico ${owner} ${alg}` },
      ];
      const ec = alg === 'ES256';
      const { publicKey, privateKey } = await this.module.C_GenerateKeyPairAsync(
        this.session,
        { mechanism: ec ? p.CKM_EC_KEY_PAIR_GEN : p.CKM_RSA_PKCS_KEY_PAIR_GEN },
        [
          ...common,
          { type: p.CKA_CLASS, value: p.CKO_PUBLIC_KEY },
          { type: p.CKA_VERIFY, value: true },
          ...(ec ? [{ type: p.CKA_EC_PARAMS, value: P256_PARAMS }] : [{ type: p.CKA_MODULUS_BITS, value: 2048 }, { type: p.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }]),
        ],
        [
          ...common,
          { type: p.CKA_CLASS, value: p.CKO_PRIVATE_KEY },
          { type: p.CKA_PRIVATE, value: true },
          { type: p.CKA_SENSITIVE, value: true },
          { type: p.CKA_EXTRACTABLE, value: false },
          { type: p.CKA_SIGN, value: true },
        ],
      );
      const jwk = ec ? this.ecPublicJwk(publicKey) : this.rsaPublicJwk(publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      this.handles.set(id.toString('hex'), privateKey);
      const reference: Pkcs11Reference = { type: 'pkcs11', id: id.toString('hex') };
      return { publicJwk: { ...jwk, kid, alg, use: 'sig' }, reference };
    });
  }

  sign(key: StoredSigningKey, signingInput: Uint8Array): Promise<Uint8Array> {
    if (!isPkcs11Reference(key.reference)) throw new Error(`the signing key ${key.kid} is not in the HSM`);
    const { id } = key.reference;
    return this.serially(async () => {
      const p = this.pkcs11js;
      const handle = this.privateKeyHandle(id, key.kid);
      if (key.alg === 'ES256') {
        this.module.C_SignInit(this.session, { mechanism: p.CKM_ECDSA }, handle);
        return this.module.C_SignAsync(this.session, createHash('sha256').update(signingInput).digest(), Buffer.alloc(64));
      }
      // RFC 7518 §3.5: SHA-256, MGF1 with SHA-256, a salt as long as the hash.
      const pss: Pkcs11Module.RsaPSS = { type: p.CK_PARAMS_RSA_PSS, hashAlg: p.CKM_SHA256, mgf: p.CKG_MGF1_SHA256, saltLen: 32 };
      this.module.C_SignInit(this.session, { mechanism: p.CKM_SHA256_RSA_PKCS_PSS, parameter: pss }, handle);
      return this.module.C_SignAsync(this.session, Buffer.from(signingInput), Buffer.alloc(512));
    });
  }

  owns(reference: unknown): boolean {
    return isPkcs11Reference(reference);
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    try {
      // Closing the session logs it out (PKCS#11 §5.6: C_CloseSession).
      this.module.C_CloseSession(this.session);
    } finally {
      releaseModule(this.library);
    }
  }

  /** Whether the token holds the private key of a reference as sensitive and non-extractable. */
  isProtected(reference: unknown): boolean {
    if (!isPkcs11Reference(reference)) return false;
    const p = this.pkcs11js;
    const [sensitive, extractable] = this.module.C_GetAttributeValue(this.session, this.privateKeyHandle(reference.id, reference.id), [{ type: p.CKA_SENSITIVE }, { type: p.CKA_EXTRACTABLE }]);
    return Boolean((sensitive?.value as Buffer)[0]) && !(extractable?.value as Buffer)[0];
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private privateKeyHandle(id: string, kid: string): Buffer {
    const cached = this.handles.get(id);
    if (cached) return cached;
    const p = this.pkcs11js;
    this.module.C_FindObjectsInit(this.session, [
      { type: p.CKA_CLASS, value: p.CKO_PRIVATE_KEY },
      { type: p.CKA_ID, value: Buffer.from(id, 'hex') },
    ]);
    const handle = this.module.C_FindObjects(this.session);
    this.module.C_FindObjectsFinal(this.session);
    if (!handle) throw new Error(`the HSM token holds no private key for the signing key ${kid}`);
    this.handles.set(id, handle);
    return handle;
  }

  private ecPublicJwk(publicKey: Buffer): JWK {
    const [point] = this.module.C_GetAttributeValue(this.session, publicKey, [{ type: this.pkcs11js.CKA_EC_POINT }]);
    const raw = ecPointOf(point!.value as Buffer);
    // SubjectPublicKeyInfo of a P-256 key: the fixed algorithm prefix, then the uncompressed point.
    const spki = Buffer.concat([Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'), raw]);
    return exportPublicJwk(createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'jwk' }));
  }

  private rsaPublicJwk(publicKey: Buffer): JWK {
    const [modulus, exponent] = this.module.C_GetAttributeValue(this.session, publicKey, [{ type: this.pkcs11js.CKA_MODULUS }, { type: this.pkcs11js.CKA_PUBLIC_EXPONENT }]);
    return { kty: 'RSA', n: (modulus!.value as Buffer).toString('base64url'), e: (exponent!.value as Buffer).toString('base64url') };
  }
}

const exportPublicJwk = (jwk: JsonWebKey): JWK => ({ kty: String(jwk.kty), crv: jwk.crv, x: jwk.x, y: jwk.y }) as JWK;
