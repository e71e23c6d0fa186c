import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A secret as it is stored: AES-256-GCM under a key-encryption key, bound to what it is for. */
export interface SealedSecret {
  readonly sealed: 'A256GCM';
  /** Which key-encryption key sealed it: the first 8 bytes of its SHA-256, hex. */
  readonly kek: string;
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

export function isSealed(value: unknown): value is SealedSecret {
  return typeof value === 'object' && value !== null && (value as { sealed?: unknown }).sealed === 'A256GCM';
}

const KEY_BYTES = 32;
const idOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/**
 * Seals the private keys Portico keeps in its database (the local keystore): AES-256-GCM with a
 * random IV under the first key-encryption key (KEK), the row the secret belongs to as additional
 * data, so a sealed key copied to another row does not open. Opens with any of the KEKs it is
 * given, so a new KEK can be put first while the old ones still open what they sealed until
 * everything is sealed again (`needsResealing`).
 */
export class KeySealer {
  private readonly keks: ReadonlyArray<{ readonly id: string; readonly key: Buffer }>;

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('a key sealer needs at least one key-encryption key');
    for (const key of keys) if (key.length !== KEY_BYTES) throw new Error(`a key-encryption key is ${KEY_BYTES} bytes (got ${key.length})`);
    this.keks = keys.map((key) => ({ id: idOf(key), key }));
  }

  /** The id of the key that seals (the first). */
  get currentKekId(): string {
    return this.keks[0]!.id;
  }

  seal(plaintext: string, context: string): SealedSecret {
    const { id, key } = this.keks[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { sealed: 'A256GCM', kek: id, iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), ct: ct.toString('base64url') };
  }

  /** The plaintext of a sealed secret; throws when no KEK given opens it or it was altered or moved. */
  open(secret: SealedSecret, context: string): string {
    const kek = this.keks.find((candidate) => candidate.id === secret.kek);
    if (!kek) throw new Error(`the key-encryption key ${secret.kek} that sealed this secret is not configured (KEY_ENCRYPTION_KEYS)`);
    const decipher = createDecipheriv('aes-256-gcm', kek.key, Buffer.from(secret.iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(secret.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(secret.ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether a stored value should be sealed (again): stored in the clear, or sealed under an older KEK. */
  needsResealing(value: unknown): boolean {
    return !isSealed(value) || value.kek !== this.currentKekId;
  }
}

/** Key-encryption keys from their text form: base64 of 32 bytes each, separated by commas or new lines. */
export function parseKeyEncryptionKeys(text: string): Buffer[] {
  return text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((encoded) => Buffer.from(encoded, 'base64'));
}

/** A new key-encryption key, base64. */
export const newKeyEncryptionKey = (): string => randomBytes(KEY_BYTES).toString('base64');
