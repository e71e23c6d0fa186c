import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
// Not the auth index: the CLI verifies checkpoints without loading the authorisation server.
import { signingPublicJwks } from '../auth/signing-keys.ts';
import type { CheckpointSigner } from '../modules/audit/index.ts';
import type { Db } from '../platform/db/index.ts';
import { signCompactJws, type JwsSigningKeys } from '../platform/keystore/index.ts';

const TYP = 'portico-audit-checkpoint+jws';

type VerificationKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * The bank's signature on the audit trail's checkpoints: ES256 with its signing keys (through the
 * configured key manager). Verification takes the public key of the `kid` from every key the bank
 * has had, so checkpoints signed before rotations still verify. Without keys to sign (the CLI),
 * only verifies.
 */
export function auditCheckpointSigner(database: Db, keys?: JwsSigningKeys): CheckpointSigner {
  let publicKeys = new Map<string, Promise<VerificationKey>>();
  return {
    async sign(payload) {
      if (!keys) throw new Error('this process holds no signing keys: it verifies checkpoints only');
      return signCompactJws(keys, 'ES256', { typ: TYP }, payload);
    },
    // Every key the bank has had, read once per verification before its snapshot opens: the embedded
    // database has one connection, which the snapshot holds.
    async prepare() {
      const jwks = await signingPublicJwks(database);
      publicKeys = new Map([...jwks].filter(([, jwk]) => jwk['kty'] === 'EC').map(([kid, jwk]) => [kid, importJWK(jwk as JWK, 'ES256')]));
    },
    async verify(jws) {
      try {
        const header = decodeProtectedHeader(jws);
        if (header.alg !== 'ES256' || header.typ !== TYP || typeof header.kid !== 'string') return undefined;
        const key = await publicKeys.get(header.kid);
        if (!key) return undefined;
        return (await compactVerify(jws, key, { algorithms: ['ES256'] })).payload;
      } catch {
        return undefined;
      }
    },
  };
}
