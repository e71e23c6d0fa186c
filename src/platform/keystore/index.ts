export { KeySealer, isSealed, parseKeyEncryptionKeys, newKeyEncryptionKey, type SealedSecret } from './key-sealer.ts';
export { signCompactJws, signWithKeyObject, type JwsAlg, type JwsSigningKeys } from './jws-signing-keys.ts';
export type { CreatedSigningKey, KeyManager, StoredSigningKey } from './key-manager.ts';
export { LocalKeyManager } from './local-key-manager.ts';
export { VaultTransitKeyManager, VaultTransitError, type VaultKeyReference, type VaultTransitKeyManagerOptions } from './vault-transit-key-manager.ts';
export { inMemorySigningKeys } from './in-memory-signing-keys.ts';
export { Pkcs11KeyManager, type Pkcs11Options } from './pkcs11-key-manager.ts';
