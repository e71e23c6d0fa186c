import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { signWithKeyObject, type JwsAlg, type JwsSigningKeys } from './jws-signing-keys.ts';

/**
 * Signing keys held as private JWKs in this process, the first of each algorithm signing: for a
 * party that keeps one fixed key (a tool, a benchmark, a test's stand-in bank), not the bank's
 * rotating keys (src/auth SigningKeyRing).
 */
export function inMemorySigningKeys(jwks: readonly JWK[]): JwsSigningKeys {
  const keys = new Map<string, { readonly alg: JwsAlg; readonly key: KeyObject }>();
  for (const jwk of jwks) {
    if (typeof jwk.kid !== 'string' || (jwk.alg !== 'PS256' && jwk.alg !== 'ES256')) throw new Error('each key needs a kid and an alg of PS256 or ES256');
    keys.set(jwk.kid, { alg: jwk.alg as JwsAlg, key: createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) });
  }
  return {
    signingKid(alg) {
      const found = [...keys].find(([, key]) => key.alg === alg);
      if (!found) throw new Error(`no ${alg} key`);
      return found[0];
    },
    async sign(kid, alg, signingInput) {
      const key = keys.get(kid);
      if (!key || key.alg !== alg) throw new Error(`no ${alg} key ${kid}`);
      return signWithKeyObject(key.key, alg, signingInput);
    },
  };
}
