import { Secret, TOTP } from 'otpauth';

/** RFC 6238 parameters of the sandbox authenticators (DESIGN.md §3): SHA-1, 6 digits, 30 s. */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;

export function timeStep(at: Date): number {
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() });
}

function secretOf(secretBase32: string): Secret | undefined {
  try {
    const secret = Secret.fromBase32(secretBase32.replace(/\s/g, ''));
    return secret.bytes.length > 0 ? secret : undefined;
  } catch {
    return undefined;
  }
}

/** The one-time code for a base32 secret at a moment (RFC 6238 §4). */
export function generateTotp(secretBase32: string, at: Date, digits = TOTP_DIGITS): string {
  const secret = secretOf(secretBase32);
  if (!secret) throw new RangeError('TOTP secret is not base32');
  return TOTP.generate({ secret, algorithm: 'SHA1', digits, period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() });
}

/**
 * Checks a code against the current step and one step either side (RFC 6238 §5.2 allows a small
 * window for clock drift). Returns the matching time step, so the caller can refuse its reuse
 * (§5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful
 * validation has been issued for the first OTP"); that check stays with the caller, in the cache.
 */
export function verifyTotp(secretBase32: string, code: string, at: Date, window = 1): number | undefined {
  const secret = secretOf(secretBase32);
  if (!secret || !/^\d{6}$/.test(code)) return undefined;
  const timestamp = at.getTime();
  const delta = TOTP.validate({ token: code, secret, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, timestamp, window });
  return delta === null ? undefined : timeStep(at) + delta;
}
