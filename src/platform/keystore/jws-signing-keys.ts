import { constants, sign as signWithNode, type KeyObject, type SignKeyObjectInput } from 'node:crypto';

/** The JWS algorithms the bank signs with (FAPI 1.0 Adv §8.6: PS256 or ES256). */
export type JwsAlg = 'PS256' | 'ES256';

/**
 * The bank's signing keys as a JWS producer sees them: which key of an algorithm signs now, and
 * the signature of a JWS signing input (RFC 7515 §5.1) with a named key. Where the private keys are
 * (this process, an HSM, Vault) is the key manager's business (key-manager.ts).
 */
export interface JwsSigningKeys {
  /** The `kid` to sign with now: fixed for the call, so the header names the key that signs. */
  signingKid(alg: JwsAlg): string;
  /** The signature of `signingInput` with the key `kid`, in JWS form (R‖S for ES256). */
  sign(kid: string, alg: JwsAlg, signingInput: Uint8Array): Promise<Uint8Array>;
}

/**
 * A JWS signature made in this process with a private key object (RFC 7518 §3.3, §3.4, §3.5), in
 * libuv's thread pool (Node's `sign` with a callback): an RSA signature takes about half a
 * millisecond, which the event loop, signing every OB response, would otherwise spend waiting.
 */
export function signWithKeyObject(key: KeyObject, alg: JwsAlg, signingInput: Uint8Array): Promise<Buffer> {
  // PS256: RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a salt as long as the hash (RFC 7518 §3.5).
  const options: SignKeyObjectInput = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  return new Promise((resolve, reject) => signWithNode('sha256', signingInput, options, (error, signature) => (error ? reject(error) : resolve(signature))));
}

const b64u = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/**
 * A compact JWS of `payload` with the given protected header (its `alg` and `kid` are set here),
 * signed by the key that signs `alg` now. `detached` leaves the payload part empty (RFC 7515
 * Appendix F), as the OB message-signing profile sends it.
 */
export async function signCompactJws(
  keys: JwsSigningKeys,
  alg: JwsAlg,
  header: Readonly<Record<string, unknown>>,
  payload: Uint8Array,
  options: { readonly detached?: boolean } = {},
): Promise<string> {
  const kid = keys.signingKid(alg);
  const protectedHeader = b64u(JSON.stringify({ ...header, alg, kid }));
  const encodedPayload = b64u(payload);
  const signature = await keys.sign(kid, alg, Buffer.from(`${protectedHeader}.${encodedPayload}`, 'ascii'));
  return `${protectedHeader}.${options.detached ? '' : encodedPayload}.${b64u(signature)}`;
}
