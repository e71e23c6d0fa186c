import type { PsuIdentityRepository, StoredPasskey, StoredPsu } from '../../src/modules/psu-identity/psu-identity.repository.port.ts';

/** PSU identities in memory, for use-case tests; the repository contract suite runs on it too. */
export class InMemoryPsuIdentityRepository implements PsuIdentityRepository {
  private readonly psus = new Map<string, StoredPsu>();
  private readonly passkeys = new Map<string, StoredPasskey>();

  addPsu(psu: StoredPsu): void {
    this.psus.set(psu.id, psu);
  }

  async findByUsername(username: string) {
    return [...this.psus.values()].find((psu) => psu.username === username);
  }

  async findById(psuId: string) {
    return this.psus.get(psuId);
  }

  async listPasskeys(psuId: string) {
    return [...this.passkeys.values()].filter((passkey) => passkey.psuId === psuId);
  }

  async findPasskey(psuId: string, credentialId: string) {
    const passkey = this.passkeys.get(credentialId);
    return passkey?.psuId === psuId ? passkey : undefined;
  }

  async addPasskey(passkey: Parameters<PsuIdentityRepository['addPasskey']>[0]) {
    if (this.passkeys.has(passkey.credentialId)) throw new Error(`passkey ${passkey.credentialId} exists`);
    this.passkeys.set(passkey.credentialId, { ...passkey, transports: [...passkey.transports], createdAt: new Date(), lastUsedAt: null });
  }

  async recordPasskeyUse(credentialId: string, counter: bigint, at: Date) {
    const passkey = this.passkeys.get(credentialId);
    if (passkey) this.passkeys.set(credentialId, { ...passkey, counter, lastUsedAt: at });
  }
}
