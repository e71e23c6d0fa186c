/** A PSU's login identity as stored: the secrets stay inside the module. */
export interface StoredPsu {
  readonly id: string;
  readonly partyId: string;
  readonly username: string;
  readonly passwordHash: string;
  readonly totpSecret: string;
}

/** A WebAuthn credential a PSU registered. */
export interface StoredPasskey {
  readonly credentialId: string;
  readonly psuId: string;
  /** COSE public key, base64url. */
  readonly publicKey: string;
  readonly counter: bigint;
  readonly transports: readonly string[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export type NewPasskey = Pick<StoredPasskey, 'credentialId' | 'psuId' | 'publicKey' | 'counter' | 'transports'>;

/** What PSU identity needs from storage. */
export interface PsuIdentityRepository {
  /** The PSU with this username, already normalised (trimmed, lower case). */
  findByUsername(username: string): Promise<StoredPsu | undefined>;
  findById(psuId: string): Promise<StoredPsu | undefined>;
  /** The PSU's passkeys, oldest first. */
  listPasskeys(psuId: string): Promise<StoredPasskey[]>;
  /** The passkey with this credential id, only if it is this PSU's. */
  findPasskey(psuId: string, credentialId: string): Promise<StoredPasskey | undefined>;
  addPasskey(passkey: NewPasskey): Promise<void>;
  /** Records a use: the authenticator's new signature counter and when. */
  recordPasskeyUse(credentialId: string, counter: bigint, at: Date): Promise<void>;
}
