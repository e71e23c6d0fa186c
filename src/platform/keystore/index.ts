export { KeySealer, isSealed, parseKeyEncryptionKeys, newKeyEncryptionKey, type SealedSecret } from './key-sealer.ts';
