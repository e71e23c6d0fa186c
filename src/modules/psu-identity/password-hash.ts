import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

// OWASP password storage guidance for scrypt: N=2^17, r=8, p=1 (128 MiB, most of a second of one
// thread). Kept rather than traded for a lower N with a higher p: that saves memory but not CPU, and
// CPU is what an attacker spends the bank's; both are bounded instead by the login throttles and
// the hashing slots (login-guard.ts, hash-slots.ts). Stored hashes carry their own parameters, so
// hashes made with other ones stay verifiable.
const PARAMS = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;

/** The parameters new hashes are made with. */
export const CURRENT_HASH_PARAMS = { N: PARAMS.N, r: PARAMS.r, p: PARAMS.p } as const;

export type HashParams = { readonly N: number; readonly r: number; readonly p: number };

/**
 * For passwords the bank publishes (the sandbox PSUs', listed at GET /sandbox/v1/psus): a work
 * factor protects nothing there, and at full cost their hashes were most of the first start.
 */
export const PUBLISHED_PASSWORD_HASH_PARAMS: HashParams = { N: 2 ** 12, r: 8, p: 1 };
const KEY_LENGTH = 32;

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string, params: HashParams = CURRENT_HASH_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: PARAMS.maxmem });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Constant-time check of a password against a stored hash; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
