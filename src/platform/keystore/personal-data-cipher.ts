import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKeyRing } from './data-key-ring.ts';

/** The prefix of an encrypted value: format 1, then `keyId.iv.ciphertext.tag` (base64url). */
const PREFIX = 'pd1.';

const keyIdOf = (stored: string) => stored.slice(PREFIX.length, stored.indexOf('.', PREFIX.length));

/** Whether a stored text is an encrypted value; `underKey`: encrypted under that data key. */
export function isEncryptedValue(stored: unknown, underKey?: string): stored is string {
  return typeof stored === 'string' && stored.startsWith(underKey === undefined ? PREFIX : `${PREFIX}${underKey}.`);
}

/**
 * Encrypts personal data at rest (envelope encryption): each value with AES-256-GCM under the
 * active data-encryption key of the ring, the row it belongs to as additional data, so that a value
 * copied to another row does not open. Values written before encryption was on are read as they
 * are, and a re-encryption pass (reencryptColumn) encrypts them. With `encrypt: false` new values
 * are stored in the clear (the first step of an upgrade of running instances), while encrypted
 * values still open.
 */
export class PersonalDataCipher {
  constructor(
    private readonly ring: DataKeyRing,
    private readonly options: { readonly encrypt: boolean } = { encrypt: true },
  ) {}

  /** Whether new values are encrypted (PERSONAL_DATA_ENCRYPTION). */
  get encrypts(): boolean {
    return this.options.encrypt;
  }

  get activeKeyId(): string {
    return this.ring.active.id;
  }

  encrypt(plaintext: string, context: string): string {
    if (!this.options.encrypt) return plaintext;
    const { id, key } = this.ring.active;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${id}.${iv.toString('base64url')}.${ct.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  /**
   * A value as a jsonb column keeps it: its JSON encrypted, as a JSON string; with encryption off,
   * the value's own JSON, as it was stored before encryption.
   */
  encryptJson(value: unknown, context: string): string {
    return JSON.stringify(this.options.encrypt ? this.encrypt(JSON.stringify(value), context) : value);
  }

  /** A jsonb column's value: an encrypted JSON string decrypted and parsed, anything else as it is. */
  async decryptJson(stored: unknown, context: string): Promise<unknown> {
    return typeof stored === 'string' ? JSON.parse(await this.decrypt(stored, context)) : stored;
  }

  /** Bytes as a bytea column keeps them: their base64 encrypted, as UTF-8; with encryption off, the bytes. */
  encryptBytes(bytes: Uint8Array, context: string): Buffer {
    return this.options.encrypt ? Buffer.from(this.encrypt(Buffer.from(bytes).toString('base64'), context), 'utf8') : Buffer.from(bytes);
  }

  /** A bytea column's value: decrypted when encrypted (it starts `pd1.`), the bytes as they are otherwise. */
  async decryptBytes(stored: Uint8Array, context: string): Promise<Buffer> {
    const buffer = Buffer.from(stored);
    if (!buffer.subarray(0, PREFIX.length).equals(Buffer.from(PREFIX))) return buffer;
    return Buffer.from(await this.decrypt(buffer.toString('utf8'), context), 'base64');
  }

  /** The plaintext of a stored value: decrypted when encrypted, as it is otherwise. */
  async decrypt(stored: string, context: string): Promise<string> {
    if (isEncryptedValue(stored)) await this.ring.keyOf(keyIdOf(stored));
    return this.decryptKnown(stored, context);
  }

  /**
   * Makes sure the keys of these stored values are held (reloading the ring once for a key made
   * elsewhere), so that `decryptKnown` can open them without waiting: for mapping rows in bulk.
   */
  async prepare(stored: Iterable<unknown>): Promise<void> {
    const ids = new Set<string>();
    for (const value of stored) if (isEncryptedValue(value)) ids.add(keyIdOf(value));
    for (const id of ids) await this.ring.keyOf(id);
  }

  /** `decrypt` for a value whose key is held (see `prepare`); throws otherwise. */
  decryptKnown(stored: string, context: string): string {
    if (!isEncryptedValue(stored)) return stored;
    const [id, iv, ct, tag] = stored.slice(PREFIX.length).split('.');
    const decipher = createDecipheriv('aes-256-gcm', this.ring.heldKey(id!), Buffer.from(iv!, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct!, 'base64url')), decipher.final()]).toString('utf8');
  }
}
