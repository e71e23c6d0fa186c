import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
// Not the auth index: the CLI verifies checkpoints without loading the authorisation server.
import { signingPublicJwk } from '../auth/signing-keys.ts';
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
  const publicKeys = new Map<string, Promise<VerificationKey | undefined>>();
  const publicKeyOf = (kid: string) => {
    let key = publicKeys.get(kid);
    if (!key) {
      key = signingPublicJwk(database, kid).then((jwk) => (jwk ? importJWK(jwk as JWK, 'ES256') : undefined));
      publicKeys.set(kid, key);
    }
    return key;
  };
  return {
    async sign(payload) {
      if (!keys) throw new Error('this process holds no signing keys: it verifies checkpoints only');
      return signCompactJws(keys, 'ES256', { typ: TYP }, payload);
    },
    async verify(jws) {
      try {
        const header = decodeProtectedHeader(jws);
        if (header.alg !== 'ES256' || header.typ !== TYP || typeof header.kid !== 'string') return undefined;
        const key = await publicKeyOf(header.kid);
        if (!key) return undefined;
        return (await compactVerify(jws, key, { algorithms: ['ES256'] })).payload;
      } catch {
        return undefined;
      }
    },
  };
}
