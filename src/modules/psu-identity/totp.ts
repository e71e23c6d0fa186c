import { createHmac, timingSafeEqual } from 'node:crypto';
import { base32Decode } from './base32.ts';

/** RFC 6238 parameters of the sandbox authenticators (DESIGN.md §3): SHA-1, 6 digits, 30 s. */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;

/** RFC 4226 §5.3 HOTP value for a counter. */
function hotp(key: Uint8Array, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', key).update(message).digest();
  const offset = (digest[digest.length - 1] as number) & 0x0f;
  const binary = (digest.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

export function timeStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The one-time code for a base32 secret at a moment (RFC 6238 §4). */
export function generateTotp(secretBase32: string, at: Date, digits = TOTP_DIGITS): string {
  const key = base32Decode(secretBase32);
  if (!key || key.length === 0) throw new RangeError('TOTP secret is not base32');
  return hotp(key, timeStep(at), digits);
}

/**
 * Checks a code against the current step and one step either side (RFC 6238 §5.2 allows a small
 * window for clock drift). Returns the matching time step, so the caller can refuse its reuse
 * (§5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful
 * validation has been issued for the first OTP").
 */
export function verifyTotp(secretBase32: string, code: string, at: Date, window = 1): number | undefined {
  const key = base32Decode(secretBase32);
  if (!key || key.length === 0 || !/^\d{6}$/.test(code)) return undefined;
  const now = timeStep(at);
  let matched: number | undefined;
  for (let step = now - window; step <= now + window; step++) {
    // Every candidate is compared, in constant time, so timing does not reveal which step matched.
    if (timingSafeEqual(Buffer.from(hotp(key, step, TOTP_DIGITS)), Buffer.from(code)) && matched === undefined) matched = step;
  }
  return matched;
}
