import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

/** The public JWK of a key (RSA or EC) with only its key parameters, ready for a JWKS entry. */
export function publicJwkOf(key: KeyObject | string): JWK {
  const jwk = (typeof key === 'string' ? createPublicKey(key) : key).export({ format: 'jwk' }) as JWK;
  return jwk.kty === 'EC' ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: jwk.kty, n: jwk.n, e: jwk.e };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url): the kid of every key the directory publishes. */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}
